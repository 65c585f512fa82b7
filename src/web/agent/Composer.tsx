import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { forwardRef, useEffect, useImperativeHandle, useRef, useState, type FormEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { CC_LIMIT, type TicketStatus } from '../../shared/api/tickets.js'
import type { Escalation } from '../../shared/api/escalations.js'
import { TICKET_STATUSES } from './model.js'
import { errorText } from '../ui/ErrorNote.js'
import { fileSize } from '../ui/format.js'
import { api, type Attachment, type Department, type Group, type Ticket, type User } from './api.js'
import { parseCc } from './cc.js'
import { CcField } from './CcField.js'
import type { FieldsHandle } from './FieldsPanel.js'
import { ReplyRouteLine, useReplyRoute } from './ReplyRoute.js'
import { ReplySignature } from './signatures.js'
import { stream } from './stream.js'
import { useMentionPicker } from './MentionPicker.js'
import { useTemplatePicker } from './TemplatePicker.js'

export interface ComposerHandle {
  focus(mode: 'public' | 'internal'): void
  /** A template's text for this ticket, where the cursor is. */
  insertTemplate(templateId: string): void
  /** The template list, searched as you type, at the cursor (the `t` shortcut; the same as typing `::`). */
  openTemplates(): void
  insertText(text: string): void
  /** A back office's proposed reply, as an editable reply that records who wrote it when it is sent. */
  takeProposal(proposal: Proposal): void
}

export type Proposal = NonNullable<Escalation['proposedReply']>

type Visibility = 'public' | 'internal'
const DRAFT_DELAY_MS = 600

interface LocalDraft {
  body: string
  visibility: Visibility
  status: TicketStatus | ''
  /** The proposed reply it is made from ("Gebruik als antwoord"), kept with the draft on the server too. */
  proposal?: Proposal | null
  at: number
}
type PendingDraft = Omit<LocalDraft, 'at'>
/**
 * A copy of the draft in this browser until the server has it, so a draft typed while the connection is
 * down survives a reload too. Cleared on logout (clearLocalDrafts).
 */
const localDraft = {
  key: (ticketId: string) => `loket.draft.${ticketId}`,
  get(ticketId: string): LocalDraft | null {
    try {
      return JSON.parse(localStorage.getItem(this.key(ticketId)) ?? 'null') as LocalDraft | null
    } catch {
      return null
    }
  },
  set(ticketId: string, draft: LocalDraft) {
    try {
      localStorage.setItem(this.key(ticketId), JSON.stringify(draft))
    } catch {
      // storage full or unavailable: the server copy is what counts
    }
  },
  remove(ticketId: string) {
    try {
      localStorage.removeItem(this.key(ticketId))
    } catch {
      // nothing to remove
    }
  },
}

export function clearLocalDrafts() {
  try {
    for (const key of Object.keys(localStorage)) if (key.startsWith('loket.draft.')) localStorage.removeItem(key)
  } catch {
    // no storage
  }
}
const TYPING_IDLE_MS = 4000

/**
 * Reply or internal note, with attachments and a status change in the same action. The text is kept as a
 * server-side draft while typing, so switching tickets or reloading loses nothing.
 */
/**
 * Whether this agent may answer the customer directly: the service desk (1st line) may, a back office only when
 * its department allows it (the server's ticketPolicy.canReplyToCustomer; it refuses otherwise).
 */
export function canReplyToCustomer(me: User, groups: Group[], departments: Department[]): boolean {
  if (me.role !== 'agent') return true
  const mine = groups.filter((g) => g.memberIds.includes(me.id) || me.groupIds.includes(g.id))
  if (mine.length === 0) return true
  return mine.some((g) => g.line === 1 || departments.find((d) => d.id === g.departmentId)?.customerReplyAllowed === true)
}

/** The ticket's fields panel, when it has unsaved changes: they go with the reply or note ("Bijwerken"). */
export interface UnsavedFields {
  dirty: boolean
  panel: RefObject<FieldsHandle | null>
}

export const Composer = forwardRef<ComposerHandle, { ticket: Ticket; canReply: boolean; fields?: UnsavedFields }>(function Composer({ ticket, canReply, fields }, ref) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const [visibility, setVisibility] = useState<Visibility>(canReply ? 'public' : 'internal')
  const [body, setBody] = useState('')
  const [status, setStatus] = useState<TicketStatus | ''>('')
  const [files, setFiles] = useState<Attachment[]>([])
  const [uploading, setUploading] = useState(false)
  const [uploadError, setUploadError] = useState<unknown>(null)
  const [draftState, setDraftState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle')
  // Cc of a reply by e-mail (null until prefilled from the customer's mails)
  const [ccText, setCcText] = useState<string | null>(null)
  // The proposed reply this reply is made from (its author and department are recorded on the article).
  const [proposal, setProposal] = useState<Proposal | null>(null)
  // How the reply reaches the customer: Cc only by e-mail; no way at all blocks sending.
  const route = useReplyRoute(ticket).data
  const withCc = route?.channel === 'email' && visibility === 'public'
  const noChannel = visibility === 'public' && route !== undefined && route.channel === null
  const cc = parseCc(withCc ? (ccText ?? '') : '')
  const ccBlocked = cc.invalid.length > 0 || cc.addresses.length > CC_LIMIT
  const textRef = useRef<HTMLTextAreaElement>(null)
  const fileRef = useRef<HTMLInputElement>(null)
  const loaded = useRef(false)
  const saveTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const typingTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const pending = useRef<PendingDraft | null>(null)
  // The proposal as the draft last knew it: what a save sends along until it is dropped or sent.
  const proposalRef = useRef<Proposal | null>(null)
  const chooseProposal = (p: Proposal | null) => {
    proposalRef.current = p
    setProposal(p)
  }

  useImperativeHandle(ref, () => ({
    focus(mode) {
      setVisibility(canReply ? mode : 'internal')
      textRef.current?.focus()
    },
    insertTemplate: (templateId) => void templates.choose({ id: templateId }),
    openTemplates: () => templates.start(),
    insertText: (text) => templates.insertText(text),
    takeProposal(p) {
      setVisibility('public')
      chooseProposal(p)
      setBody(p.body)
      scheduleDraft({ body: p.body, visibility: 'public', status, proposal: p })
      textRef.current?.focus()
    },
  }))
  const templates = useTemplatePicker({
    ticketId: ticket.id,
    textRef,
    body,
    onBodyChange: (value) => onBodyChange(value),
    onAttachments: (added) => setFiles((f) => [...f, ...added]),
  })
  const internal = visibility === 'internal'
  const mentions = useMentionPicker({ textRef, body, onBodyChange: (value) => onBodyChange(value), enabled: internal })

  const draft = useQuery({ queryKey: ['draft', ticket.id], queryFn: () => api.draft(ticket.id), staleTime: Infinity, gcTime: 0, retry: 1 })
  useEffect(() => {
    if (loaded.current || draft.isPending) return
    loaded.current = true
    const local = localDraft.get(ticket.id)
    const server = draft.data
    if (local && (!server || local.at > Date.parse(server.updatedAt))) {
      // Typed while the server could not be reached: take it, and hand it to the server.
      setBody(local.body)
      setVisibility(canReply ? local.visibility : 'internal')
      setStatus(local.status)
      chooseProposal(local.proposal ?? null)
      pending.current = { body: local.body, visibility: local.visibility, status: local.status, proposal: local.proposal ?? null }
      void flushDraft()
    } else if (server) {
      setBody(server.body)
      setVisibility(canReply ? server.visibility : 'internal')
      setStatus((server.status as TicketStatus | null) ?? '')
      // Made from a proposed reply: still marked as such after a reload, and sent as such.
      chooseProposal(server.proposal)
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft.isPending, draft.data])

  const flushDraft = async () => {
    clearTimeout(saveTimer.current)
    const next = pending.current
    if (!next) return
    pending.current = null
    try {
      setDraftState('saving')
      if (next.body.trim() === '') await api.deleteDraft(ticket.id)
      else {
        const proposalId = next.visibility === 'public' ? (next.proposal?.articleId ?? null) : null
        await api.saveDraft(ticket.id, { body: next.body, visibility: next.visibility, status: next.status || null, proposedReplyId: proposalId })
      }
      if (!pending.current) localDraft.remove(ticket.id)
      setDraftState('saved')
    } catch {
      // a flaky connection: keep it pending and try again shortly
      pending.current ??= next
      setDraftState('failed')
      saveTimer.current = setTimeout(() => void flushDraft(), 3000)
    }
  }
  const scheduleDraft = (draftChange: Omit<PendingDraft, 'proposal'> & { proposal?: Proposal | null }) => {
    if (!loaded.current) return
    const next: PendingDraft = { ...draftChange, proposal: draftChange.proposal !== undefined ? draftChange.proposal : proposalRef.current }
    pending.current = next
    localDraft.set(ticket.id, { ...next, at: Date.now() })
    clearTimeout(saveTimer.current)
    saveTimer.current = setTimeout(() => void flushDraft(), DRAFT_DELAY_MS)
  }
  // Leaving the ticket saves what is still pending.
  useEffect(
    () => () => {
      clearTimeout(typingTimer.current)
      void flushDraft()
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  )

  const onBodyChange = (value: string) => {
    setBody(value)
    scheduleDraft({ body: value, visibility, status })
    stream.sendPresence(ticket.id, 'typing')
    clearTimeout(typingTimer.current)
    typingTimer.current = setTimeout(() => stream.sendPresence(ticket.id, 'viewing'), TYPING_IDLE_MS)
  }

  const withFields = fields?.dirty === true
  const send = useMutation({
    mutationFn: async () => {
      // "Bijwerken": the unsaved field changes go with it, all or nothing; the status chosen here wins.
      const change = withFields ? fields.panel.current?.pending() : null
      const ticketChange = change ? { ...change.patch } : undefined
      if (ticketChange && status) delete ticketChange.status
      const sendsFields = ticketChange !== undefined && Object.keys(ticketChange).length > 0
      await api.addArticle(
        ticket.id,
        {
          body,
          visibility,
          ...(status ? { status } : {}),
          ...(files.length ? { attachmentIds: files.map((f) => f.id) } : {}),
          ...(cc.addresses.length ? { cc: cc.addresses } : {}),
          ...(proposal && visibility === 'public' ? { proposedReplyId: proposal.articleId } : {}),
          ...(sendsFields && { ticket: ticketChange }),
        },
        sendsFields ? change!.version : undefined,
      )
      if (sendsFields) {
        const fresh = await api.ticket(ticket.id)
        queryClient.setQueryData(['ticket', ticket.id], fresh)
        fields!.panel.current?.saved(fresh)
        void queryClient.invalidateQueries({ queryKey: ['tickets'] })
        void queryClient.invalidateQueries({ queryKey: ['history', ticket.id] })
      }
    },
    onSuccess: async () => {
      pending.current = null
      clearTimeout(saveTimer.current)
      localDraft.remove(ticket.id)
      setBody('')
      setFiles([])
      setStatus('')
      chooseProposal(null)
      setDraftState('idle')
      stream.sendPresence(ticket.id, 'viewing')
      api.deleteDraft(ticket.id).catch(() => {})
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['articles', ticket.id] }),
        queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] }),
      ])
    },
  })

  const submit = (e?: FormEvent) => {
    e?.preventDefault()
    if (body.trim() === '' || send.isPending || uploading || ccBlocked || noChannel || bracesLeft) return
    send.mutate()
  }

  const upload = async (list: FileList | null) => {
    if (!list || list.length === 0) return
    setUploading(true)
    setUploadError(null)
    try {
      for (const file of [...list]) {
        const attachment = await api.upload(ticket.id, file)
        setFiles((f) => [...f, attachment])
      }
    } catch (err) {
      setUploadError(err)
    } finally {
      setUploading(false)
      if (fileRef.current) fileRef.current.value = ''
    }
  }

  // Raw placeholders never reach a customer: a reply waits until they are filled in.
  const bracesLeft = !internal && templates.missing.length > 0
  return (
    <form className={`composer ${internal ? 'composer-internal' : ''}`} onSubmit={submit} aria-labelledby="composer-title">
      <h2 id="composer-title" className="visually-hidden">
        {t('composer.title')}
      </h2>
      <div className="mode-switch" role="radiogroup" aria-label={t('composer.mode')}>
        {(['public', 'internal'] as const).map((mode) => (
          <label key={mode} className={`mode ${visibility === mode ? 'mode-on' : ''}`}>
            <input
              type="radio"
              name="visibility"
              value={mode}
              checked={visibility === mode}
              disabled={mode === 'public' && !canReply}
              onChange={() => {
                setVisibility(mode)
                scheduleDraft({ body, visibility: mode, status })
              }}
            />
            {t(mode === 'public' ? 'composer.reply' : 'composer.note')}
          </label>
        ))}
      </div>
      {proposal && !internal && (
        <p className="proposal-note" role="status">
          <span>
            {proposal.author && proposal.departmentName
              ? t('composer.proposal', { name: proposal.author.name, department: proposal.departmentName })
              : t('composer.proposalNoDepartment', { name: proposal.author?.name ?? t('timeline.system') })}
          </span>
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => {
              chooseProposal(null)
              scheduleDraft({ body, visibility, status, proposal: null })
            }}
          >
            {t('composer.dropProposal')}
          </button>
        </p>
      )}
      {withCc && <CcField ticket={ticket} value={ccText} onChange={setCcText} />}
      <label htmlFor="composer-body" className="visually-hidden">
        {internal ? t('composer.noteLabel') : t('composer.replyLabel', { name: ticket.requester.name })}
      </label>
      <textarea
        id="composer-body"
        ref={textRef}
        rows={6}
        value={body}
        placeholder={internal ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: ticket.requester.name })}
        onChange={(e) => {
          onBodyChange(e.target.value)
          templates.check(e.target.value, e.target.selectionStart)
          mentions.check(e.target.value, e.target.selectionStart)
        }}
        {...templates.textareaProps}
        {...mentions.textareaProps}
        onKeyDown={(e) => {
          if (mentions.onKeyDown(e)) return
          if (templates.onKeyDown(e)) return
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit()
          if (e.key === 'Escape') textRef.current?.blur()
        }}
      />
      {templates.popup}
      {mentions.popup}
      {bracesLeft && (
        <p className="placeholder-note" role="status">
          {t('templates.fillIn', { names: templates.missing.map((m) => `{{${m}}}`).join(', ') })}
        </p>
      )}
      {templates.error && (
        <p className="error-note" role="alert">
          {templates.error}
        </p>
      )}
      {internal && <p className="note-hint">{t('composer.noteHint')}</p>}
      {!internal && canReply && <ReplyRouteLine ticket={ticket} />}
      {withCc && canReply && <ReplySignature ticketId={ticket.id} />}
      {!canReply && <p className="muted small">{t('composer.backOffice')}</p>}
      {files.length > 0 && (
        <ul className="attachments">
          {files.map((f) => (
            <li key={f.id}>
              {f.filename} <span className="muted small">({fileSize(f.size, i18n.language)})</span>{' '}
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setFiles((all) => all.filter((x) => x.id !== f.id))}>
                {t('composer.removeFile', { name: f.filename })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="composer-actions">
        <button type="button" className="btn btn-small" onClick={templates.start} title={t('templates.buttonHint')}>
          {t('templates.button')}
        </button>
        <label className="btn btn-small file-btn">
          {uploading ? t('composer.uploading') : t('composer.attach')}
          <input ref={fileRef} type="file" multiple className="visually-hidden" onChange={(e) => void upload(e.target.files)} disabled={uploading} />
        </label>
        <label className="inline-field">
          <span>{t('composer.andSet')}</span>
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as TicketStatus | '')
              scheduleDraft({ body, visibility, status: e.target.value as TicketStatus | '' })
            }}
          >
            <option value="">{t('composer.keepStatus', { status: t(`status.${ticket.status}`) })}</option>
            {TICKET_STATUSES.filter((s) => s !== 'new').map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="draft-state muted small" aria-live="polite">
          {draftState === 'saving' ? t('composer.draftSaving') : draftState === 'saved' ? t('composer.draftSaved') : draftState === 'failed' ? t('composer.draftFailed') : ''}
        </span>
        <button type="submit" className={`btn ${internal ? 'btn-note' : 'btn-primary'}`} disabled={send.isPending || uploading || body.trim() === '' || ccBlocked || noChannel || bracesLeft}>
          {send.isPending ? t('composer.sending') : withFields ? t('composer.update') : internal ? t('composer.addNote') : t('composer.send')}
        </button>
      </div>
      {withFields && (
        <p className="muted small composer-with-fields" role="status">
          {internal ? t('composer.updateNoteHint') : t('composer.updateHint')}
        </p>
      )}
      {(send.error != null || uploadError != null) && (
        <p className="error-note" role="alert">
          {errorText(send.error ?? uploadError, t)}
        </p>
      )}
    </form>
  )
})
