import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { dateTime } from '../ui/format.js'
import { ApiError } from './api.js'
import { GroupSelect } from './DeskSelects.js'
import { MailboxOAuthPanel, oauthReturn } from './MailboxOAuth.js'
import { WaitingMailNotice } from './WaitingMailNotice.js'
import { mailboxApi, type ConnectionTest, type CreateMailboxBody, type Mailbox, type MailboxMessage, type TlsMode, type UpdateMailboxBody } from './mailboxApi.js'
import './mailboxes.css'
import { Field } from '../ui/Field.js'

/** What the form edits: everything as text, as the fields hold it. Passwords are write-only (empty = keep). */
export interface MailboxForm {
  name: string
  address: string
  senderName: string
  active: boolean
  imapHost: string
  imapPort: string
  imapTls: TlsMode
  imapUser: string
  imapPassword: string
  imapFolder: string
  imapProcessedFolder: string
  smtpHost: string
  smtpPort: string
  smtpTls: TlsMode
  smtpUser: string
  smtpPassword: string
  tlsVerify: boolean
  signature: string
  groupId: string
  ackEnabled: boolean
  defaultSender: boolean
  ackNlSubject: string
  ackNlBody: string
  ackEnSubject: string
  ackEnBody: string
  blockList: string
  pollSeconds: string
}

const EMPTY: MailboxForm = {
  name: '',
  address: '',
  senderName: '',
  active: true,
  imapHost: '',
  imapPort: '',
  imapTls: 'implicit',
  imapUser: '',
  imapPassword: '',
  imapFolder: 'INBOX',
  imapProcessedFolder: '',
  smtpHost: '',
  smtpPort: '',
  smtpTls: 'starttls',
  smtpUser: '',
  smtpPassword: '',
  tlsVerify: true,
  signature: '',
  groupId: '',
  ackEnabled: false,
  defaultSender: false,
  ackNlSubject: '',
  ackNlBody: '',
  ackEnSubject: '',
  ackEnBody: '',
  blockList: '',
  pollSeconds: '60',
}

export function formOf(m: Mailbox): MailboxForm {
  return {
    name: m.name,
    address: m.address,
    senderName: m.senderName,
    active: m.active,
    imapHost: m.imap.host,
    imapPort: String(m.imap.port),
    imapTls: m.imap.tls,
    imapUser: m.imap.user,
    imapPassword: '',
    imapFolder: m.imap.folder,
    imapProcessedFolder: m.imap.processedFolder ?? '',
    smtpHost: m.smtp.host,
    smtpPort: String(m.smtp.port),
    smtpTls: m.smtp.tls,
    smtpUser: m.smtp.user ?? '',
    smtpPassword: '',
    tlsVerify: m.tlsVerify,
    signature: m.signature,
    groupId: m.groupId ?? '',
    ackEnabled: m.acknowledgement.enabled,
    defaultSender: m.defaultSender,
    ackNlSubject: m.acknowledgement.nl.subject,
    ackNlBody: m.acknowledgement.nl.body,
    ackEnSubject: m.acknowledgement.en.subject,
    ackEnBody: m.acknowledgement.en.body,
    blockList: m.blockList.join('\n'),
    pollSeconds: String(m.pollSeconds),
  }
}

const port = (s: string) => (s.trim() ? Number(s.trim()) : undefined)
const template = (subject: string, body: string) => (subject.trim() && body.trim() ? { subject: subject.trim(), body } : undefined)
const lines = (s: string) =>
  s
    .split(/[\n,;]+/)
    .map((l) => l.trim())
    .filter(Boolean)

/** The body of POST /mailboxes (and of the test of unsaved settings). */
export function createBody(f: MailboxForm): CreateMailboxBody {
  const nl = template(f.ackNlSubject, f.ackNlBody)
  const en = template(f.ackEnSubject, f.ackEnBody)
  return {
    name: f.name.trim(),
    address: f.address.trim(),
    ...(f.senderName.trim() ? { senderName: f.senderName.trim() } : {}),
    active: f.active,
    imap: {
      host: f.imapHost.trim(),
      ...(port(f.imapPort) ? { port: port(f.imapPort) } : {}),
      tls: f.imapTls,
      user: f.imapUser.trim(),
      password: f.imapPassword,
      folder: f.imapFolder.trim() || 'INBOX',
      processedFolder: f.imapProcessedFolder.trim() || null,
    },
    smtp: {
      host: f.smtpHost.trim(),
      ...(port(f.smtpPort) ? { port: port(f.smtpPort) } : {}),
      tls: f.smtpTls,
      user: f.smtpUser.trim() || null,
      ...(f.smtpPassword ? { password: f.smtpPassword } : {}),
    },
    tlsVerify: f.tlsVerify,
    signature: f.signature,
    groupId: f.groupId || null,
    acknowledgement: { enabled: f.ackEnabled, ...(nl ? { nl } : {}), ...(en ? { en } : {}) },
    defaultSender: f.defaultSender,
    blockList: lines(f.blockList),
    ...(f.pollSeconds.trim() ? { pollSeconds: Number(f.pollSeconds) } : {}),
  }
}

/** The body of PATCH /mailboxes/{id}: everything the form shows; an empty password field keeps the stored one. */
export function updateBody(f: MailboxForm): UpdateMailboxBody {
  const { password: imapPassword, ...imap } = createBody(f).imap
  const { password: smtpPassword, ...smtp } = createBody(f).smtp
  const { imap: _i, smtp: _s, ...rest } = createBody(f)
  return {
    ...rest,
    imap: { ...imap, ...(imapPassword ? { password: imapPassword } : {}) },
    smtp: { ...smtp, ...(smtpPassword ? { password: smtpPassword } : {}) },
  }
}

/** The steps of a connection test, each ok or failed with the server's own words. */
export function TestResult({ result }: { result: ConnectionTest }) {
  const { t } = useTranslation()
  return (
    <div className={`mb-test ${result.ok ? 'mb-test-ok' : 'mb-test-failed'}`} data-testid="connection-test">
      <p className="mb-test-summary">
        <strong>{result.ok ? t('mailboxes.test.allOk') : t('mailboxes.test.failed')}</strong>
      </p>
      <ol className="mb-steps">
        {result.steps.map((s) => (
          <li key={s.step} className={s.ok ? 'mb-step-ok' : 'mb-step-failed'} data-step={s.step}>
            <span className="mb-step-mark" aria-hidden="true">
              {s.ok ? '✓' : '✗'}
            </span>{' '}
            <strong>{t(`mailboxes.steps.${s.step.replace('.', '_')}`, { defaultValue: s.step })}</strong>
            {': '}
            <span className="mb-step-verdict">{s.ok ? t('mailboxes.test.stepOk') : t('mailboxes.test.stepFailed')}</span>
            {!s.ok && <span className="mb-step-help"> — {t(`mailboxes.help.${s.step.split('.')[1]}`, { defaultValue: '' })}</span>}
            <br />
            <span className="mb-step-detail mono">{s.detail}</span> <span className="muted small">({s.ms} ms)</span>
          </li>
        ))}
      </ol>
    </div>
  )
}

function MailboxEditor({ mailbox, onDone }: { mailbox: Mailbox | null; onDone: (saved: Mailbox | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const uid = useId()
  const id = (name: string) => `${uid}-${name}`
  const headingRef = useRef<HTMLHeadingElement>(null)
  const formRef = useRef<HTMLFormElement>(null)
  const [form, setForm] = useState<MailboxForm>(() => (mailbox ? formOf(mailbox) : EMPTY))
  const [dirty, setDirty] = useState(false)
  useEffect(() => headingRef.current?.focus(), [])

  const set = <K extends keyof MailboxForm>(key: K, value: MailboxForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }))
    setDirty(true)
  }
  const text = (key: keyof MailboxForm) => ({
    id: id(key),
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => set(key, e.target.value as never),
  })

  const save = useMutation({
    mutationFn: () => (mailbox ? mailboxApi.update(mailbox.id, updateBody(form)) : mailboxApi.create(createBody(form))),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ['mailboxes'] })
      onDone(saved)
    },
  })
  const test = useMutation({
    mutationFn: () => (mailbox && !dirty ? mailboxApi.test(mailbox.id) : mailboxApi.testSettings(createBody(form))),
  })
  // A saved mailbox with changes can only be tested once saved: its passwords never come back to the browser.
  const testNeedsSave = mailbox !== null && dirty

  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  const runTest = () => {
    if (!mailbox && !formRef.current?.reportValidity()) return
    test.mutate()
  }

  const tlsOptions = (['implicit', 'starttls', 'none'] as const).map((mode) => (
    <option key={mode} value={mode}>
      {t(`mailboxes.tls.${mode}`)}
    </option>
  ))

  // Host, TLS mode and port: the same three fields for the IMAP and the SMTP server.
  const serverRow = (server: 'imap' | 'smtp') => (
    <div className="mb-row">
      <Field id={id(`${server}Host`)} label={t('mailboxes.f.host')}>
        <input {...text(`${server}Host`)} required autoComplete="off" spellCheck={false} />
      </Field>
      <Field id={id(`${server}Tls`)} label={t('mailboxes.f.tls')}>
        <select {...text(`${server}Tls`)}>{tlsOptions}</select>
      </Field>
      <Field id={id(`${server}Port`)} label={t('mailboxes.f.port')} hint={t('mailboxes.f.portHint')}>
        <input {...text(`${server}Port`)} type="number" min={1} max={65535} inputMode="numeric" className="mb-port" aria-describedby={`${id(`${server}Port`)}-hint`} />
      </Field>
    </div>
  )

  return (
    <section className="mb-editor" aria-labelledby={id('title')}>
      <h2 id={id('title')} ref={headingRef} tabIndex={-1}>
        {mailbox ? t('mailboxes.editTitle', { name: mailbox.name }) : t('mailboxes.newTitle')}
      </h2>
      <form ref={formRef} className="form-grid" onSubmit={submit} noValidate={false}>
        <fieldset>
          <legend>{t('mailboxes.general')}</legend>
          <Field id={id('name')} label={t('mailboxes.f.name')}>
            <input {...text('name')} required maxLength={100} />
          </Field>
          <Field id={id('address')} label={t('mailboxes.f.address')} hint={t('mailboxes.f.addressHint')}>
            <input {...text('address')} type="email" required autoComplete="off" aria-describedby={`${id('address')}-hint`} />
          </Field>
          <Field id={id('senderName')} label={t('mailboxes.f.senderName')} hint={t('mailboxes.f.senderNameHint')}>
            <input {...text('senderName')} maxLength={200} aria-describedby={`${id('senderName')}-hint`} />
          </Field>
          <Field id={id('groupId')} label={t('mailboxes.f.group')} hint={t('mailboxes.f.groupHint')}>
            <GroupSelect {...text('groupId')} aria-describedby={`${id('groupId')}-hint`} empty={t('mailboxes.f.groupDefault')} />
          </Field>
          <label className="inline-field">
            <input type="checkbox" checked={form.active} onChange={(e) => set('active', e.target.checked)} />
            <span>{t('mailboxes.f.active')}</span>
          </label>
        </fieldset>

        <fieldset>
          <legend>{t('mailboxes.imap')}</legend>
          {serverRow('imap')}
          <div className="mb-row">
            <Field id={id('imapUser')} label={t('mailboxes.f.user')}>
              <input {...text('imapUser')} required autoComplete="off" spellCheck={false} />
            </Field>
            <Field
              id={id('imapPassword')}
              label={t('mailboxes.f.password')}
              hint={mailbox?.imap.hasPassword ? t('mailboxes.f.passwordKept') : undefined}
            >
              <input
                {...text('imapPassword')}
                type="password"
                autoComplete="new-password"
                required={!mailbox}
                aria-describedby={mailbox?.imap.hasPassword ? `${id('imapPassword')}-hint` : undefined}
              />
            </Field>
          </div>
          <div className="mb-row">
            <Field id={id('imapFolder')} label={t('mailboxes.f.folder')}>
              <input {...text('imapFolder')} spellCheck={false} />
            </Field>
            <Field id={id('imapProcessedFolder')} label={t('mailboxes.f.processedFolder')} hint={t('mailboxes.f.processedFolderHint')}>
              <input {...text('imapProcessedFolder')} spellCheck={false} aria-describedby={`${id('imapProcessedFolder')}-hint`} />
            </Field>
            <Field id={id('pollSeconds')} label={t('mailboxes.f.pollSeconds')} hint={t('mailboxes.f.pollSecondsHint')}>
              <input {...text('pollSeconds')} type="number" min={5} max={3600} inputMode="numeric" className="mb-port" aria-describedby={`${id('pollSeconds')}-hint`} />
            </Field>
          </div>
        </fieldset>

        <fieldset>
          <legend>{t('mailboxes.smtp')}</legend>
          {serverRow('smtp')}
          <div className="mb-row">
            <Field id={id('smtpUser')} label={t('mailboxes.f.smtpUser')} hint={t('mailboxes.f.smtpUserHint')}>
              <input {...text('smtpUser')} autoComplete="off" spellCheck={false} aria-describedby={`${id('smtpUser')}-hint`} />
            </Field>
            <Field
              id={id('smtpPassword')}
              label={t('mailboxes.f.password')}
              hint={mailbox?.smtp.hasPassword ? t('mailboxes.f.passwordKept') : undefined}
            >
              <input
                {...text('smtpPassword')}
                type="password"
                autoComplete="new-password"
                aria-describedby={mailbox?.smtp.hasPassword ? `${id('smtpPassword')}-hint` : undefined}
              />
            </Field>
          </div>
          <label className="inline-field">
            <input type="checkbox" checked={form.tlsVerify} onChange={(e) => set('tlsVerify', e.target.checked)} aria-describedby={`${id('tlsVerify')}-hint`} />
            <span>{t('mailboxes.f.tlsVerify')}</span>
          </label>
          <span id={`${id('tlsVerify')}-hint`} className="muted small">
            {t('mailboxes.f.tlsVerifyHint')}
          </span>
        </fieldset>

        <fieldset>
          <legend>{t('mailboxes.replies')}</legend>
          <Field id={id('signature')} label={t('mailboxes.f.signature')} hint={t('mailboxes.f.signatureHint')}>
            <textarea {...text('signature')} rows={3} aria-describedby={`${id('signature')}-hint`} />
          </Field>
          <label className="inline-field">
            <input type="checkbox" checked={form.defaultSender} onChange={(e) => set('defaultSender', e.target.checked)} aria-describedby={`${id('defaultSender')}-hint`} />
            <span>{t('mailboxes.f.defaultSender')}</span>
          </label>
          <p id={`${id('defaultSender')}-hint`} className="muted small">
            {t('mailboxes.f.defaultSenderHint')}
          </p>
          <label className="inline-field">
            <input type="checkbox" checked={form.ackEnabled} onChange={(e) => set('ackEnabled', e.target.checked)} />
            <span>{t('mailboxes.f.ackEnabled')}</span>
          </label>
          <p id={`${id('ack')}-hint`} className="muted small">
            {t('mailboxes.f.ackHint', { number: '{{number}}', subject: '{{subject}}', name: '{{name}}' })}
          </p>
          <div className="mb-row mb-ack">
            {(['Nl', 'En'] as const).map((lang) => (
              <div key={lang} className="mb-ack-lang" role="group" aria-labelledby={id(`ack${lang}`)}>
                <h3 id={id(`ack${lang}`)}>{t(`mailboxes.f.ack${lang}`)}</h3>
                <Field id={id(`ack${lang}Subject`)} label={t('mailboxes.f.ackSubject')}>
                  <input {...text(`ack${lang}Subject`)} maxLength={500} aria-describedby={`${id('ack')}-hint`} />
                </Field>
                <Field id={id(`ack${lang}Body`)} label={t('mailboxes.f.ackBody')}>
                  <textarea {...text(`ack${lang}Body`)} rows={5} aria-describedby={`${id('ack')}-hint`} />
                </Field>
              </div>
            ))}
          </div>
          <Field id={id('blockList')} label={t('mailboxes.f.blockList')} hint={t('mailboxes.f.blockListHint')}>
            <textarea {...text('blockList')} rows={3} spellCheck={false} aria-describedby={`${id('blockList')}-hint`} />
          </Field>
        </fieldset>

        <div className="row wrap">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? t('common.saving') : t('mailboxes.save')}
          </button>
          <button type="button" className="btn" onClick={runTest} disabled={test.isPending}>
            {test.isPending ? t('mailboxes.test.running') : t('mailboxes.test.button')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={() => onDone(null)}>
            {t('common.cancel')}
          </button>
        </div>
        {testNeedsSave && <p className="muted small">{t('mailboxes.test.unsavedHint')}</p>}
        {save.error != null && (
          <p className="error-note" role="alert">
            {errorText(save.error, t)}
          </p>
        )}
      </form>
      <div aria-live="polite" className="mb-test-region">
        {test.isPending && <p>{t('mailboxes.test.running')}</p>}
        {test.data && !test.isPending && <TestResult result={test.data} />}
        {test.error != null && !test.isPending && (
          <p className="error-note" role="alert">
            {errorText(test.error, t)}
          </p>
        )}
      </div>
    </section>
  )
}

function StatusBadge({ mailbox }: { mailbox: Mailbox }) {
  const { t } = useTranslation()
  const state = mailbox.active ? mailbox.status.state : 'disabled'
  // A refused OAuth sign-in is the one error only an administrator can mend: say so rather than "error".
  if (mailbox.oauth?.state === 'reconnect_needed') return <span className="badge mb-state mb-state-error">{t('mailboxes.oauth.state.reconnect_needed')}</span>
  return <span className={`badge mb-state mb-state-${state}`}>{t(`mailboxes.state.${state}`)}</span>
}

function When({ iso }: { iso: string | null }) {
  const { t, i18n } = useTranslation()
  if (!iso) return <span className="muted">{t('mailboxes.never')}</span>
  return <time dateTime={iso}>{dateTime(iso, i18n.language)}</time>
}

/**
 * The mailbox's machine mail (DMARC and abuse reports, bounces and auto-replies about nothing known),
 * refused mail and duplicates: each with its reason and, where kept, the raw message. Loaded when opened.
 */
function MailboxMessages({ mailbox }: { mailbox: Mailbox }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const list = useQuery({ queryKey: ['mailbox-messages', mailbox.id], queryFn: ({ signal }) => mailboxApi.messages(mailbox.id, signal), enabled: open })
  const { machine, refused, duplicate } = mailbox.status.counts
  const label = (m: MailboxMessage) => t(`mailboxes.messages.kind.${m.kind ?? m.outcome}`)
  return (
    <details className="mb-messages" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {t('mailboxes.messages.title')} <span className="muted small">({t('mailboxes.messages.summary', { machine, refused, duplicate })})</span>
      </summary>
      {open && list.isPending && <p aria-busy="true">{t('common.loading')}</p>}
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.data && list.data.length === 0 && <p className="empty">{t('mailboxes.messages.none')}</p>}
      {list.data && list.data.length > 0 && (
        <table className="mb-messages-table">
          <caption className="visually-hidden">{t('mailboxes.messages.caption', { name: mailbox.name })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('mailboxes.messages.when')}</th>
              <th scope="col">{t('mailboxes.messages.what')}</th>
              <th scope="col">{t('mailboxes.messages.from')}</th>
              <th scope="col">{t('mailboxes.messages.subject')}</th>
              <th scope="col">{t('mailboxes.messages.reason')}</th>
              <th scope="col">{t('mailboxes.messages.raw')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((m) => (
              <tr key={m.id} data-outcome={m.outcome}>
                <td>
                  <When iso={m.receivedAt} />
                </td>
                <td>{label(m)}</td>
                <td className="mono">{m.from ?? '—'}</td>
                <td>{m.subject || '—'}</td>
                <td>
                  {m.reason}
                  {m.duplicateOf?.ticketId && (
                    <>
                      {' '}
                      <a href={`/tickets/${m.duplicateOf.ticketId}`}>{t('mailboxes.messages.openTicket')}</a>
                    </>
                  )}
                </td>
                <td>
                  {m.rawUrl ? (
                    <a href={m.rawUrl} download>
                      {t('mailboxes.messages.download')}
                      <span className="visually-hidden"> {m.subject}</span>
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  )
}

function MailboxRow({ mailbox, onEdit, onDeleted }: { mailbox: Mailbox; onEdit: () => void; onDeleted: () => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [confirming, setConfirming] = useState(false)
  const confirmRef = useRef<HTMLButtonElement>(null)
  const deleteRef = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (confirming) confirmRef.current?.focus()
  }, [confirming])
  const test = useMutation({ mutationFn: () => mailboxApi.test(mailbox.id) })
  const remove = useMutation({
    mutationFn: () => mailboxApi.remove(mailbox.id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['mailboxes'] })
      onDeleted()
    },
  })
  const s = mailbox.status
  return (
    <li className="mb-card" data-mailbox={mailbox.address}>
      <div className="mb-card-head">
        <h2 className="mb-card-title">
          {mailbox.name} <span className="muted mb-address">&lt;{mailbox.address}&gt;</span>
          {mailbox.defaultSender && <span className="badge mb-default-sender">{t('mailboxes.defaultSender')}</span>}
        </h2>
        <StatusBadge mailbox={mailbox} />
      </div>
      <dl className="facts mb-facts">
        <dt>{t('mailboxes.col.fetching')}</dt>
        <dd>{s.usesIdle == null ? t('mailboxes.idleUnknown') : s.usesIdle ? t('mailboxes.idleYes') : t('mailboxes.idleNo', { seconds: mailbox.pollSeconds })}</dd>
        <dt>{t('mailboxes.col.lastFetch')}</dt>
        <dd>
          <When iso={s.lastFetchAt} />
        </dd>
        <dt>{t('mailboxes.col.lastSuccess')}</dt>
        <dd>
          <When iso={s.lastSuccessAt} />
        </dd>
        <dt>{t('mailboxes.col.fetched')}</dt>
        <dd>
          {t('mailboxes.fetchedCount', { count: s.fetchedCount })}
          {s.fetchedCount > 0 && (
            <span className="muted small" data-testid="mailbox-counts">
              {' '}
              ({(['filed', 'duplicate', 'headersOnly', 'refused', 'machine'] as const).map((k) => t(`mailboxes.counts.${k}`, { count: s.counts[k] })).join(', ')})
            </span>
          )}
        </dd>
        {s.lastError && (
          <>
            <dt>{t('mailboxes.col.lastError')}</dt>
            <dd className="mb-error">
              <span className="mono">{s.lastError}</span>
              {s.lastErrorAt && (
                <>
                  {' '}
                  <span className="muted small">
                    (<When iso={s.lastErrorAt} />)
                  </span>
                </>
              )}
            </dd>
          </>
        )}
      </dl>
      <MailboxMessages mailbox={mailbox} />
      <div className="row wrap">
        <button type="button" className="btn btn-small" onClick={onEdit}>
          {t('mailboxes.edit')}
          <span className="visually-hidden"> {mailbox.name}</span>
        </button>
        <button type="button" className="btn btn-small" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? t('mailboxes.test.running') : t('mailboxes.test.button')}
          <span className="visually-hidden"> {mailbox.name}</span>
        </button>
        {!confirming && (
          <button ref={deleteRef} type="button" className="btn btn-small btn-danger" onClick={() => setConfirming(true)}>
            {t('mailboxes.delete')}
            <span className="visually-hidden"> {mailbox.name}</span>
          </button>
        )}
      </div>
      {confirming && (
        <div className="mb-confirm" role="group" aria-label={t('mailboxes.confirmLabel')}>
          <p>{t('mailboxes.confirmDelete', { name: mailbox.name, address: mailbox.address })}</p>
          <div className="row">
            <button ref={confirmRef} type="button" className="btn btn-small btn-danger-solid" onClick={() => remove.mutate()} disabled={remove.isPending}>
              {t('mailboxes.confirmYes')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setConfirming(false)
                setTimeout(() => deleteRef.current?.focus())
              }}
            >
              {t('common.cancel')}
            </button>
          </div>
          {remove.error != null && (
            <p className="error-note" role="alert">
              {errorText(remove.error, t)}
            </p>
          )}
        </div>
      )}
      <div aria-live="polite">
        {test.data && !test.isPending && <TestResult result={test.data} />}
        {test.error != null && !test.isPending && (
          <p className="error-note" role="alert">
            {errorText(test.error, t)}
          </p>
        )}
      </div>
      <MailboxOAuthPanel mailbox={mailbox} />
    </li>
  )
}

/** Administrators' screen: the e-mail channel's mailboxes with their live status, editing and a connection test. */
export function Mailboxes() {
  const { t } = useTranslation()
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null)
  // Back from the provider's sign-in: say how it went.
  const [saved, setSaved] = useState<string | null>(() => {
    const back = oauthReturn(new URLSearchParams(window.location.search))
    return back ? (back.ok ? t('mailboxes.oauth.connected') : t('mailboxes.oauth.failed', { reason: back.reason })) : null
  })
  const headingRef = useRef<HTMLHeadingElement>(null)
  const list = useQuery({ queryKey: ['mailboxes'], queryFn: ({ signal }) => mailboxApi.list(signal), refetchInterval: 10_000, staleTime: 5_000 })

  // Only administrators may see mailboxes: anyone else gets the server's 403 and no buttons.
  const forbidden = list.error instanceof ApiError && list.error.status === 403

  const done = (result: Mailbox | null) => {
    setEditing(null)
    setSaved(result ? t('mailboxes.saved', { name: result.name }) : null)
    setTimeout(() => headingRef.current?.focus())
  }

  return (
    <div className="mailboxes">
      <div className="queue-head">
        <h1 ref={headingRef} tabIndex={-1}>
          {t('mailboxes.title')}
        </h1>
        {editing === null && !forbidden && (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              setSaved(null)
              setEditing('new')
            }}
          >
            {t('mailboxes.add')}
          </button>
        )}
      </div>
      <p className="muted">{t('mailboxes.intro')}</p>
      {!forbidden && <WaitingMailNotice />}
      <p role="status" className="mb-saved">
        {saved && <span className="notice">{saved}</span>}
      </p>
      {editing !== null ? (
        <MailboxEditor key={editing === 'new' ? 'new' : editing.id} mailbox={editing === 'new' ? null : editing} onDone={done} />
      ) : (
        <>
          {list.isPending && <p aria-busy="true">{t('common.loading')}</p>}
          <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
          {list.data && list.data.length === 0 && <p className="empty">{t('mailboxes.none')}</p>}
          {list.data && list.data.length > 0 && (
            <ul className="mb-list" aria-label={t('mailboxes.title')}>
              {list.data.map((m) => (
                <MailboxRow
                  key={m.id}
                  mailbox={m}
                  onEdit={() => setEditing(m)}
                  onDeleted={() => {
                    setSaved(t('mailboxes.deleted', { name: m.name }))
                    headingRef.current?.focus()
                  }}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </div>
  )
}
