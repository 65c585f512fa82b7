import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { TFunction } from 'i18next'
import { type FormEvent, type RefObject, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { dateTime } from '../ui/format.js'
import { ApiError, api, type Escalation, type Me, type Ticket } from './api.js'
import type { ComposerHandle } from './Composer.js'
import { useDepartments, useGroups } from './DeskSelects.js'
import { inGroup } from './handoff.js'
import { HandoffClock } from './HandoffClock.js'
import { useStaff } from './useStaff.js'
import './handoff.css'

/** A refusal the server explains (422: same line, no members; 409: closed or already back) in its own words. */
function refusal(err: unknown, key: string, t: TFunction): string {
  if (err instanceof ApiError && (err.status === 422 || err.status === 409)) return t(key, { detail: err.message })
  return errorText(err, t)
}

/**
 * Escalation as a step on a ticket: "Doorzetten naar backoffice" with a handoff note (and who coordinates),
 * where the handoff under way stands and its clock, "Oppakken" and "Terugzetten" with a proposed reply for
 * the back office, and the proposal for the desk to use as its reply. The server keeps the record.
 */
export function HandoffPanel({ ticket, me, composer, canReply }: { ticket: Ticket; me: Me; composer: RefObject<ComposerHandle | null>; canReply: boolean }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const groups = useGroups()
  const departments = useDepartments()
  const staff = useStaff()
  const handoffs = useQuery({
    queryKey: ['handoffs', ticket.id, ticket.version, ticket.updatedAt],
    queryFn: ({ signal }) => api.escalations(ticket.id, signal),
    placeholderData: (previous) => previous,
    // Only a ticket with a handoff under way has one to show (the ticket says so).
    enabled: ticket.escalation !== null,
  })
  const [mode, setMode] = useState<'escalate' | 'return' | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const [form, setForm] = useState({ groupId: '', note: '', coordinatorId: '', proposedReply: '' })
  const [coordinator, setCoordinator] = useState<string | null>(null)

  const groupOf = (id: string | null) => groups.data?.find((g) => g.id === id)
  const departmentName = (id: string | null) => departments.data?.find((d) => d.id === id)?.name ?? ''
  const active: Escalation | undefined = ticket.escalation ? handoffs.data?.find((e) => e.doneAt === null) : undefined
  const loading = ticket.escalation !== null && !handoffs.data && !handoffs.isError
  const activeGroup = active ? groupOf(active.groupId) : undefined
  const activeGroupName = activeGroup?.name ?? ''
  // The back office of the handoff (team leads and administrators may act for it); the desk is everyone else.
  const backOffice = !!active && inGroup(me.user, activeGroup)
  const mayActForBackOffice = backOffice || me.user.role !== 'agent'
  const open = ticket.status !== 'closed' && !ticket.mergedInto
  const currentLine = groupOf(ticket.groupId)?.line ?? 1
  const targets = (groups.data ?? []).filter((g) => g.line > currentLine && g.id !== ticket.groupId && g.memberIds.length > 0)
  const mayEscalate = open && (!active || active.state === 'returned')
  const waitingForBackOffice = !!active && (active.state === 'escalated' || active.state === 'picked_up')

  const refresh = async (updated?: Ticket) => {
    if (updated) queryClient.setQueryData(['ticket', ticket.id], updated)
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['articles', ticket.id] }),
      queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] }),
      queryClient.invalidateQueries({ queryKey: ['handoffs', ticket.id] }),
      queryClient.invalidateQueries({ queryKey: ['escalations'] }),
      queryClient.invalidateQueries({ queryKey: ['tickets'] }),
      queryClient.invalidateQueries({ queryKey: ['count'] }),
    ])
  }
  const start = (next: 'escalate' | 'return') => {
    setMode(next)
    setError(null)
    setDone(null)
    setForm({ groupId: '', note: '', coordinatorId: '', proposedReply: '' })
  }
  const run = async (action: () => Promise<string>, failKey = 'handoff.cannot') => {
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      const message = await action()
      setMode(null)
      setDone(message)
    } catch (err) {
      setError(refusal(err, failKey, t))
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] })
    } finally {
      setBusy(false)
    }
  }

  const escalate = (e: FormEvent) => {
    e.preventDefault()
    if (busy || !form.groupId || !form.note.trim()) return
    void run(async () => {
      // Someone else keeps the customer contact: named in the same step, so nothing can come between.
      const updated = await api.escalate(ticket.id, ticket.version, {
        groupId: form.groupId,
        handoffNote: form.note,
        ...(form.coordinatorId && form.coordinatorId !== me.user.id && { coordinatorId: form.coordinatorId }),
      })
      await refresh(updated)
      return t('handoff.escalated', { group: groupOf(form.groupId)?.name ?? '' })
    })
  }
  const giveBack = (e: FormEvent) => {
    e.preventDefault()
    if (busy || !form.note.trim()) return
    void run(async () => {
      const proposal = form.proposedReply.trim()
      const updated = await api.returnToDesk(ticket.id, ticket.version, { note: form.note, ...(proposal && { proposedReply: form.proposedReply }) })
      await refresh(updated)
      return t('handoff.returned')
    }, 'handoff.cannotReturn')
  }
  const pickUp = () =>
    void run(async () => {
      const updated = await api.updateTicket(ticket.id, ticket.version, { assigneeId: me.user.id })
      await refresh(updated)
      return t('ticket.assignedTo', { name: me.user.name })
    })
  const changeCoordinator = (e: FormEvent) => {
    e.preventDefault()
    if (busy || coordinator === null || coordinator === (ticket.coordinator?.id ?? '')) return
    void run(async () => {
      const updated = await api.updateTicket(ticket.id, ticket.version, { coordinatorId: coordinator || null })
      await refresh(updated)
      setCoordinator(null)
      return t('handoff.coordinatorSaved', { name: updated.coordinator?.name ?? t('handoff.noCoordinator') })
    })
  }
  const takeProposal = () => {
    if (!active?.proposedReply) return
    composer.current?.takeProposal(active.proposedReply)
    setDone(t('handoff.proposalInComposer'))
  }

  const at = (iso: string) => dateTime(iso, i18n.language)
  return (
    <section className="panel handoff" aria-labelledby="handoff-title" data-handoff-state={active?.state ?? 'none'}>
      <h2 id="handoff-title">{t('handoff.title')}</h2>
      {loading && <p className="muted small">{t('common.loading')}</p>}
      <ErrorNote error={handoffs.error} onRetry={() => void handoffs.refetch()} />
      {!active && !loading && !handoffs.isError && <p className="muted small">{t('handoff.none')}</p>}
      {active && (
        <div className="handoff-state">
          <p className="handoff-headline">
            <strong>
              {active.state === 'escalated'
                ? t('handoff.stateEscalated', { group: activeGroupName })
                : active.state === 'picked_up'
                  ? t('handoff.statePickedUp', { group: activeGroupName })
                  : t('handoff.stateReturned', { group: activeGroupName })}
            </strong>
          </p>
          <p className="handoff-clock-line">
            <HandoffClock clock={active.clock} />
          </p>
          <ul className="handoff-facts small">
            {active.escalatedBy && <li>{t('handoff.escalatedBy', { name: active.escalatedBy.name, at: at(active.escalatedAt) })}</li>}
            {active.pickedUpBy && active.pickedUpAt && <li>{t('handoff.pickedUpBy', { name: active.pickedUpBy.name, at: at(active.pickedUpAt) })}</li>}
            {active.returnedBy && active.returnedAt && <li>{t('handoff.returnedBy', { name: active.returnedBy.name, at: at(active.returnedAt) })}</li>}
            <li>{ticket.coordinator ? t('handoff.coordinatorIs', { name: ticket.coordinator.name }) : t('handoff.noCoordinator')}</li>
          </ul>
          {active.state === 'returned' && active.proposedReply && (
            <div className="proposal" role="group" aria-labelledby="proposal-title">
              <h3 id="proposal-title" className="small">
                {active.proposedReply.author
                  ? active.proposedReply.departmentName
                    ? t('handoff.proposalBy', { name: active.proposedReply.author.name, department: active.proposedReply.departmentName })
                    : t('handoff.proposalByNoDepartment', { name: active.proposedReply.author.name })
                  : t('handoff.proposalTitle')}
              </h3>
              <p className="proposal-body">{active.proposedReply.body}</p>
              {canReply && (
                <button type="button" className="btn btn-small btn-primary" onClick={takeProposal}>
                  {t('handoff.useProposal')}
                </button>
              )}
            </div>
          )}
          {!backOffice && open && (
            <form className="handoff-coordinator row wrap" onSubmit={changeCoordinator}>
              <label htmlFor="handoff-coordinator-change">{t('handoff.changeCoordinator')}</label>
              <select id="handoff-coordinator-change" value={coordinator ?? ticket.coordinator?.id ?? ''} disabled={busy} onChange={(e) => setCoordinator(e.target.value)}>
                <option value="">{t('handoff.noCoordinator')}</option>
                {staff.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
              <button type="submit" className="btn btn-small" disabled={busy || coordinator === null || coordinator === (ticket.coordinator?.id ?? '')}>
                {t('handoff.saveCoordinator')}
              </button>
            </form>
          )}
        </div>
      )}

      {mode === null && !loading && !handoffs.isError && (
        <div className="row wrap">
          {mayEscalate && targets.length > 0 && (
            <button type="button" className="btn btn-small" onClick={() => start('escalate')}>
              {t('handoff.escalateButton')}
            </button>
          )}
          {waitingForBackOffice && mayActForBackOffice && active!.state === 'escalated' && ticket.assignee?.id !== me.user.id && (
            <button type="button" className="btn btn-small" disabled={busy} onClick={pickUp}>
              {busy ? t('handoff.pickingUp') : t('handoff.pickUp')}
            </button>
          )}
          {waitingForBackOffice && mayActForBackOffice && (
            <button type="button" className="btn btn-small" onClick={() => start('return')}>
              {t('handoff.returnButton')}
            </button>
          )}
        </div>
      )}
      {mode === null && mayEscalate && targets.length === 0 && groups.isSuccess && <p className="muted small">{t('handoff.noGroups')}</p>}

      {mode === 'escalate' && (
        <form className="handoff-form" onSubmit={escalate} aria-labelledby="handoff-escalate-title">
          <h3 id="handoff-escalate-title">{t('handoff.escalateTitle')}</h3>
          <label htmlFor="handoff-group">{t('handoff.group')}</label>
          <select id="handoff-group" required value={form.groupId} disabled={busy} onChange={(e) => setForm((f) => ({ ...f, groupId: e.target.value }))}>
            <option value="">{t('handoff.chooseGroup')}</option>
            {targets.map((g) => (
              <option key={g.id} value={g.id}>
                {t('handoff.groupOption', { group: g.name, department: departmentName(g.departmentId) })}
              </option>
            ))}
          </select>
          <label htmlFor="handoff-note">{t('handoff.note')}</label>
          <textarea
            id="handoff-note"
            rows={5}
            required
            value={form.note}
            disabled={busy}
            aria-describedby="handoff-note-hint"
            onChange={(e) => setForm((f) => ({ ...f, note: e.target.value }))}
          />
          <p id="handoff-note-hint" className="muted small">
            {t('handoff.noteHint')}
          </p>
          <label htmlFor="handoff-coordinator">{t('handoff.coordinator')}</label>
          <select
            id="handoff-coordinator"
            value={form.coordinatorId || me.user.id}
            disabled={busy}
            aria-describedby="handoff-coordinator-hint"
            onChange={(e) => setForm((f) => ({ ...f, coordinatorId: e.target.value }))}
          >
            <option value={me.user.id}>{t('handoff.me', { name: me.user.name })}</option>
            {staff
              .filter((u) => u.id !== me.user.id)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
          </select>
          <p id="handoff-coordinator-hint" className="muted small">
            {t('handoff.coordinatorHint')}
          </p>
          <div className="row">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy || !form.groupId || !form.note.trim()}>
              {busy ? t('handoff.escalating') : t('handoff.escalate')}
            </button>
            <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setMode(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}

      {mode === 'return' && (
        <form className="handoff-form" onSubmit={giveBack} aria-labelledby="handoff-return-title">
          <h3 id="handoff-return-title">{t('handoff.returnTitle')}</h3>
          <label htmlFor="handoff-return-note">{t('handoff.returnNote')}</label>
          <textarea
            id="handoff-return-note"
            rows={4}
            required
            value={form.note}
            disabled={busy}
            aria-describedby="handoff-return-note-hint"
            onChange={(e) => setForm((f) => ({ ...f, note: e.target.value }))}
          />
          <p id="handoff-return-note-hint" className="muted small">
            {t('handoff.returnNoteHint')}
          </p>
          <label htmlFor="handoff-proposal">{t('handoff.proposedReply')}</label>
          <textarea
            id="handoff-proposal"
            rows={6}
            value={form.proposedReply}
            disabled={busy}
            aria-describedby="handoff-proposal-hint"
            onChange={(e) => setForm((f) => ({ ...f, proposedReply: e.target.value }))}
          />
          <p id="handoff-proposal-hint" className="muted small">
            {t('handoff.proposedReplyHint')}
          </p>
          <div className="row">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy || !form.note.trim()}>
              {busy ? t('handoff.returning') : t('handoff.return')}
            </button>
            <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setMode(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      <p className="handoff-status small" role="status">
        {done}
      </p>
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}
