import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type ChangeEvent, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { type Branding as BrandingData, LOGO_MAX_BYTES, LOGO_TYPES } from '../../../shared/api/branding.js'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { brandingApi } from '../brandingApi.js'
import { ScreenHead } from './ScreenHead.js'

/** The file's bytes as base64 (without the data: prefix). */
const base64Of = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''))
    reader.onerror = () => reject(reader.error)
    reader.readAsDataURL(file)
  })

/** Huisstijl: the organisation's name and logo, on the sign-in screen and in the mails Loket sends. */
export function Branding() {
  const { t } = useTranslation()
  const [notice, setNotice] = useState<string | null>(null)
  const branding = useQuery({ queryKey: ['branding'], queryFn: ({ signal }) => brandingApi.get(signal) })
  return (
    <div className="beheer">
      <ScreenHead title={t('branding.title')} notice={notice} />
      <p className="muted">{t('branding.intro')}</p>
      <ErrorNote error={branding.error} onRetry={() => void branding.refetch()} />
      {branding.data && <BrandingForm key={branding.data.updatedAt ?? 'none'} branding={branding.data} onNotice={setNotice} />}
    </div>
  )
}

function BrandingForm({ branding, onNotice }: { branding: BrandingData; onNotice: (notice: string) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [name, setName] = useState(branding.name ?? '')
  const [error, setError] = useState<unknown>(null)
  /** What is wrong with a chosen file, said before anything is sent. */
  const [problem, setProblem] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const run = async (change: () => Promise<BrandingData>, notice: string) => {
    setBusy(true)
    setError(null)
    setProblem(null)
    try {
      queryClient.setQueryData(['branding'], await change())
      onNotice(notice)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const saveName = (e: FormEvent) => {
    e.preventDefault()
    void run(() => brandingApi.setName(name.trim() || null), t('branding.nameSaved'))
  }
  const chooseLogo = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0]
    e.target.value = ''
    if (!file) return
    if (!(LOGO_TYPES as readonly string[]).includes(file.type)) return setProblem(t('branding.wrongType'))
    if (file.size > LOGO_MAX_BYTES) return setProblem(t('branding.tooLarge'))
    const data = await base64Of(file)
    await run(() => brandingApi.setLogo(file.type as (typeof LOGO_TYPES)[number], data), t('branding.logoSaved'))
  }

  return (
    <>
      <form className="panel admin-editor" onSubmit={saveName} aria-labelledby="branding-name-title">
        <h2 id="branding-name-title">{t('branding.nameTitle')}</h2>
        <Field id="branding-name" label={t('branding.name')} hint={t('branding.nameHint')}>
          <input id="branding-name" value={name} onChange={(e) => setName(e.target.value)} maxLength={120} autoComplete="organization" aria-describedby="branding-name-hint" />
        </Field>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? t('common.saving') : t('beheer.save')}
          </button>
        </div>
      </form>
      <section className="panel admin-editor" aria-labelledby="branding-logo-title">
        <h2 id="branding-logo-title">{t('branding.logoTitle')}</h2>
        {branding.logoUrl ? (
          <p>
            <img className="branding-preview" src={branding.logoUrl} alt={t('branding.current')} />
          </p>
        ) : (
          <p className="muted">{t('branding.noLogo')}</p>
        )}
        <Field id="branding-logo" label={t('branding.choose')} hint={t('branding.logoHint')}>
          <input id="branding-logo" type="file" accept={LOGO_TYPES.join(',')} onChange={(e) => void chooseLogo(e)} disabled={busy} aria-describedby="branding-logo-hint" />
        </Field>
        {branding.logoUrl && (
          <div className="row">
            <button type="button" className="btn" disabled={busy} onClick={() => void run(() => brandingApi.removeLogo(), t('branding.logoRemoved'))}>
              {t('branding.remove')}
            </button>
          </div>
        )}
      </section>
      {problem && (
        <p className="error-note" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={error} />
    </>
  )
}
