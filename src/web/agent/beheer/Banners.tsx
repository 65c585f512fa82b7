import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { dateTime } from '../../ui/format.js'
import { type Banner, beheerApi } from './beheerApi.js'
import { DeleteButton } from './DeleteButton.js'
import { ListAndEditor } from './ListAndEditor.js'

/** An ISO moment as the value of an `<input type="datetime-local">` (local time, to the minute). */
function toLocalInput(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null)

type State = 'now' | 'planned' | 'ended'
const stateOf = (b: Banner, now = Date.now()): State =>
  Date.parse(b.startsAt) > now ? 'planned' : b.endsAt && Date.parse(b.endsAt) <= now ? 'ended' : 'now'

/** Banners on every page of the customer portal: announcements and known outages, from a moment until another or until taken down. */
export function Banners() {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const list = useQuery({ queryKey: ['banners', 'all'], queryFn: ({ signal }) => beheerApi.banners(signal).then((r) => r.items) })

  return (
    <ListAndEditor<Banner>
      title={t('beheer.banners.title')}
      intro={t('beheer.banners.intro')}
      addLabel={t('beheer.banners.add')}
      emptyText={t('beheer.banners.none')}
      list={list}
      editor={(banner, done) => <BannerEditor banner={banner} onDone={done} />}
      item={(b, { edit, notify }) => {
        const state = stateOf(b)
        const title = b.textNl.length > 60 ? `${b.textNl.slice(0, 57)}…` : b.textNl
        return (
          <>
            <h2 className="admin-item-title">
              <span className={`badge banner-kind-${b.kind}`}>{t(`beheer.banners.kinds.${b.kind}`)}</span>
              <span>{title}</span>
            </h2>
            <p className="small admin-wrap" lang="nl">
              {b.textNl}
            </p>
            <p className="small admin-wrap muted" lang="en">
              {b.textEn}
            </p>
            <p className="small">
              <strong>{t(`beheer.banners.states.${state}`)}</strong> ·{' '}
              {b.endsAt
                ? t('beheer.banners.period', { from: dateTime(b.startsAt, i18n.language), to: dateTime(b.endsAt, i18n.language) })
                : t('beheer.banners.from', { from: dateTime(b.startsAt, i18n.language) })}
            </p>
            <div className="row wrap">
              <button type="button" className="btn" onClick={() => edit(b)} aria-label={t('beheer.editNamed', { name: title })}>
                {t('beheer.edit')}
              </button>
              <DeleteButton
                name={title}
                onDelete={() => beheerApi.deleteBanner(b.id)}
                onDeleted={() => {
                  void queryClient.invalidateQueries({ queryKey: ['banners'] })
                  notify(t('beheer.deleted', { name: title }))
                }}
              />
            </div>
          </>
        )
      }}
    />
  )
}

function BannerEditor({ banner, onDone }: { banner: Banner | null; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [kind, setKind] = useState<Banner['kind']>(banner?.kind ?? 'announcement')
  const [textNl, setTextNl] = useState(banner?.textNl ?? '')
  const [textEn, setTextEn] = useState(banner?.textEn ?? '')
  const [startsAt, setStartsAt] = useState(toLocalInput(banner?.startsAt ?? null))
  const [endsAt, setEndsAt] = useState(toLocalInput(banner?.endsAt ?? null))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const body = { kind, textNl: textNl.trim(), textEn: textEn.trim(), endsAt: fromLocalInput(endsAt), ...(startsAt && { startsAt: fromLocalInput(startsAt)! }) }
      if (banner) await beheerApi.updateBanner(banner.id, body)
      else await beheerApi.createBanner(body)
      await queryClient.invalidateQueries({ queryKey: ['banners'] })
      onDone(t(banner ? 'beheer.banners.saved' : 'beheer.banners.created'))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={banner ? t('beheer.banners.edit') : t('beheer.banners.add')}>
      <Field id="banner-kind" label={t('beheer.banners.kind')}>
        <select id="banner-kind" value={kind} onChange={(e) => setKind(e.target.value as Banner['kind'])}>
          <option value="announcement">{t('beheer.banners.kinds.announcement')}</option>
          <option value="outage">{t('beheer.banners.kinds.outage')}</option>
        </select>
      </Field>
      <Field id="banner-nl" label={t('beheer.banners.textNl')}>
        <textarea id="banner-nl" value={textNl} onChange={(e) => setTextNl(e.target.value)} required maxLength={500} rows={2} autoFocus />
      </Field>
      <Field id="banner-en" label={t('beheer.banners.textEn')}>
        <textarea id="banner-en" value={textEn} onChange={(e) => setTextEn(e.target.value)} required maxLength={500} rows={2} />
      </Field>
      <div className="row wrap">
        <Field id="banner-start" label={t('beheer.banners.startsAt')} hint={t('beheer.banners.startsAtHint')}>
          <input id="banner-start" type="datetime-local" value={startsAt} onChange={(e) => setStartsAt(e.target.value)} aria-describedby="banner-start-hint" />
        </Field>
        <Field id="banner-end" label={t('beheer.banners.endsAt')} hint={t('beheer.banners.endsAtHint')}>
          <input id="banner-end" type="datetime-local" value={endsAt} onChange={(e) => setEndsAt(e.target.value)} aria-describedby="banner-end-hint" />
        </Field>
      </div>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('beheer.save')}
        </button>
        <button type="button" className="btn" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
