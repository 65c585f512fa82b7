import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { PutSsoSettingsBody, SsoSettings as Settings, StaffRole } from '../../shared/api/sso.js'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { ApiError, request } from './api.js'
import { GroupSelect } from './DeskSelects.js'
import './mailboxes.css'
import { Field } from '../ui/Field.js'

const ssoApi = {
  get: () => request<Settings>('/settings/sso').then((r) => r.data),
  put: (body: PutSsoSettingsBody) => request<Settings>('/settings/sso', { method: 'PUT', body }).then((r) => r.data),
}

/** One row of the claim table as the form holds it: one group per row (several rows may share a value). */
interface Row {
  key: number
  value: string
  role: StaffRole | ''
  groupId: string
}

interface Form {
  enabled: boolean
  name: string
  issuerUrl: string
  clientId: string
  clientSecret: string
  scopes: string
  claim: string
  emailClaim: string
  rows: Row[]
  createUsers: boolean
  localPasswordsForStaff: boolean
}

let nextKey = 1

function toForm(s: Settings): Form {
  const rows = s.mappings.flatMap((m) => {
    const groups = m.groupIds?.length ? m.groupIds : ['']
    return groups.map((groupId, i) => ({ key: nextKey++, value: m.value, role: i === 0 ? (m.role ?? '') : ('' as const), groupId }))
  })
  return {
    enabled: s.configured ? s.enabled : true,
    name: s.name,
    issuerUrl: s.issuerUrl,
    clientId: s.clientId,
    clientSecret: '',
    scopes: s.scopes.join(' '),
    claim: s.claim,
    emailClaim: s.emailClaim,
    rows,
    createUsers: s.configured ? s.createUsers : true,
    localPasswordsForStaff: s.localPasswordsForStaff,
  }
}

function toBody(f: Form): PutSsoSettingsBody {
  return {
    enabled: f.enabled,
    name: f.name.trim(),
    issuerUrl: f.issuerUrl.trim(),
    clientId: f.clientId.trim(),
    ...(f.clientSecret ? { clientSecret: f.clientSecret } : {}),
    scopes: f.scopes.split(/\s+/).filter(Boolean),
    claim: f.claim.trim(),
    emailClaim: f.emailClaim.trim(),
    mappings: f.rows
      .filter((r) => r.value.trim())
      .map((r) => ({ value: r.value.trim(), ...(r.role ? { role: r.role } : {}), groupIds: r.groupId ? [r.groupId] : [] })),
    createUsers: f.createUsers,
    localPasswordsForStaff: f.localPasswordsForStaff,
  }
}

/** Administrators' screen for single sign-on (accounts/sso): the provider, the claim table, and the password rule for staff. */
export function SsoSettings() {
  const { t } = useTranslation()
  const id = useId()
  const queryClient = useQueryClient()
  const settings = useQuery({ queryKey: ['sso-settings'], queryFn: ssoApi.get })
  const [form, setForm] = useState<Form | null>(null)
  const [saved, setSaved] = useState(false)
  useEffect(() => {
    document.title = `${t('sso.title')} · Loket`
  }, [t])
  useEffect(() => {
    if (settings.data && !form) setForm(toForm(settings.data))
  }, [settings.data, form])
  const save = useMutation({
    mutationFn: () => ssoApi.put(toBody(form!)),
    onSuccess: (data) => {
      queryClient.setQueryData(['sso-settings'], data)
      void queryClient.invalidateQueries({ queryKey: ['sso-sign-in'] })
      setForm(toForm(data))
      setSaved(true)
    },
  })

  if (settings.error) return <ErrorNote error={settings.error} onRetry={() => void settings.refetch()} />
  if (!settings.data || !form) return <p aria-busy="true">{t('common.loading')}</p>

  const f = (field: string) => `${id}-${field}`
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false)
    setForm((old) => ({ ...old!, [key]: value }))
  }
  const text = (key: 'name' | 'issuerUrl' | 'clientId' | 'clientSecret' | 'scopes' | 'claim' | 'emailClaim') => ({
    id: f(key),
    value: form[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  })
  const setRow = (key: number, patch: Partial<Row>) => set('rows', form.rows.map((r) => (r.key === key ? { ...r, ...patch } : r)))
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }

  return (
    <section className="mailboxes" aria-labelledby={f('title')}>
      <h1 id={f('title')}>{t('sso.title')}</h1>
      <p>{t('sso.intro')}</p>
      <form className="form-grid" onSubmit={submit}>
        <fieldset>
          <legend>{t('sso.provider')}</legend>
          <Field id={f('redirect')} label={t('sso.f.redirectUri')} hint={t('sso.f.redirectUriHint')}>
            <input id={f('redirect')} value={settings.data.redirectUri} readOnly aria-describedby={`${f('redirect')}-hint`} />
          </Field>
          <Field id={f('name')} label={t('sso.f.name')} hint={t('sso.f.nameHint')}>
            <input {...text('name')} required maxLength={60} aria-describedby={`${f('name')}-hint`} />
          </Field>
          <Field id={f('issuerUrl')} label={t('sso.f.issuerUrl')} hint={t('sso.f.issuerUrlHint')}>
            <input {...text('issuerUrl')} type="url" required spellCheck={false} aria-describedby={`${f('issuerUrl')}-hint`} />
          </Field>
          <div className="mb-row">
            <Field id={f('clientId')} label={t('sso.f.clientId')}>
              <input {...text('clientId')} required spellCheck={false} autoComplete="off" />
            </Field>
            <Field id={f('clientSecret')} label={t('sso.f.clientSecret')} hint={settings.data.hasClientSecret ? t('sso.f.clientSecretKept') : undefined}>
              <input
                {...text('clientSecret')}
                type="password"
                autoComplete="new-password"
                aria-describedby={settings.data.hasClientSecret ? `${f('clientSecret')}-hint` : undefined}
              />
            </Field>
          </div>
          <div className="mb-row">
            <Field id={f('scopes')} label={t('sso.f.scopes')}>
              <input {...text('scopes')} spellCheck={false} />
            </Field>
            <Field id={f('emailClaim')} label={t('sso.f.emailClaim')}>
              <input {...text('emailClaim')} required spellCheck={false} />
            </Field>
          </div>
          <label className="inline-field">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
            <span>{t('sso.f.enabled')}</span>
          </label>
        </fieldset>

        <fieldset>
          <legend>{t('sso.mapping')}</legend>
          <Field id={f('claim')} label={t('sso.f.claim')} hint={t('sso.f.claimHint')}>
            <input {...text('claim')} required spellCheck={false} aria-describedby={`${f('claim')}-hint`} />
          </Field>
          <p className="muted small">{t('sso.mappingHint')}</p>
          {form.rows.map((row, i) => (
            <div className="mb-row" key={row.key} role="group" aria-label={t('sso.row', { n: i + 1 })}>
              <Field id={f(`value-${row.key}`)} label={t('sso.f.value')}>
                <input id={f(`value-${row.key}`)} value={row.value} onChange={(e) => setRow(row.key, { value: e.target.value })} spellCheck={false} />
              </Field>
              <Field id={f(`role-${row.key}`)} label={t('sso.f.role')}>
                <select id={f(`role-${row.key}`)} value={row.role} onChange={(e) => setRow(row.key, { role: e.target.value as Row['role'] })}>
                  <option value="">{t('sso.noRole')}</option>
                  <option value="agent">{t('sso.roles.agent')}</option>
                  <option value="supervisor">{t('sso.roles.supervisor')}</option>
                  <option value="admin">{t('sso.roles.admin')}</option>
                </select>
              </Field>
              <Field id={f(`group-${row.key}`)} label={t('sso.f.group')}>
                <GroupSelect id={f(`group-${row.key}`)} value={row.groupId} onChange={(e) => setRow(row.key, { groupId: e.target.value })} empty={t('sso.noGroup')} />
              </Field>
              <button type="button" className="btn btn-ghost" style={{ alignSelf: 'flex-end' }} onClick={() => set('rows', form.rows.filter((r) => r.key !== row.key))}>
                {t('sso.removeRow', { n: i + 1 })}
              </button>
            </div>
          ))}
          <div>
            <button type="button" className="btn" onClick={() => set('rows', [...form.rows, { key: nextKey++, value: '', role: '', groupId: '' }])}>
              {t('sso.addRow')}
            </button>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('sso.people')}</legend>
          <label className="inline-field">
            <input type="checkbox" checked={form.createUsers} onChange={(e) => set('createUsers', e.target.checked)} />
            <span>{t('sso.f.createUsers')}</span>
          </label>
          <label className="inline-field">
            <input type="checkbox" checked={!form.localPasswordsForStaff} onChange={(e) => set('localPasswordsForStaff', !e.target.checked)} />
            <span>{t('sso.f.passwordsOff')}</span>
          </label>
          <p className="muted small">{t('sso.passwordsOffHint')}</p>
        </fieldset>

        <div className="row wrap">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('sso.save')}
          </button>
        </div>
        <div aria-live="polite" className="mb-saved">
          {saved && <span className="notice">{t('sso.saved')}</span>}
        </div>
        {save.error != null && (
          <p className="error-note" role="alert">
            {save.error instanceof ApiError && (save.error.body.errors as { field?: string }[] | undefined)?.[0]?.field === 'localPasswordsForStaff'
              ? t('sso.passwordsOffRefused')
              : errorText(save.error, t)}
          </p>
        )}
      </form>
    </section>
  )
}
