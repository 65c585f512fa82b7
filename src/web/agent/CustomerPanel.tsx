import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { relativeTime } from '../ui/format.js'
import { Icon } from '../ui/icons.js'
import { api, type Ticket, type User } from './api.js'
import { AppLink } from './AppLink.js'
import { CustomerLookup } from './NewTicket.js'
import { ErrorNote } from '../ui/ErrorNote.js'
import { navigate } from './router.js'

/** Who asks: contact details, organisation, and their other tickets across all channels. */
export function CustomerPanel({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation()
  const requester = useQuery({ queryKey: ['user', ticket.requester.id], queryFn: () => api.user(ticket.requester.id), staleTime: 300_000 })
  const others = useQuery({
    queryKey: ['tickets', 'requester', ticket.requester.id],
    queryFn: ({ signal }) => api.tickets({ requesterId: ticket.requester.id, sort: '-updated_at', limit: 10 }, signal),
  })
  const organisationId = ticket.organisation?.id
  const organisation = useQuery({
    queryKey: ['organisations', 'one', organisationId],
    queryFn: () => api.organisation(organisationId!),
    enabled: !!organisationId,
    staleTime: 60_000,
  })
  const identities = useQuery({ queryKey: ['identities', ticket.requester.id], queryFn: () => api.identities(ticket.requester.id), staleTime: 60_000 })
  // What else the customer is known by: the account's own address and phone number are shown above.
  const extra = (identities.data ?? []).filter((i) => !i.primary)
  const list = (others.data?.items ?? []).filter((tk) => tk.id !== ticket.id)
  return (
    <section className="panel customer" aria-labelledby="customer-title">
      <h2 id="customer-title">{t('customer.title')}</h2>
      <p className="customer-name">{ticket.requester.name}</p>
      <dl className="facts">
        <dt>{t('customer.email')}</dt>
        <dd>{ticket.requester.email ? <a href={`mailto:${ticket.requester.email}`}>{ticket.requester.email}</a> : <span className="muted">{t('customer.noEmail')}</span>}</dd>
        {requester.data?.phone && (
          <>
            <dt>{t('customer.phone')}</dt>
            <dd>
              <a href={`tel:${requester.data.phone}`}>{requester.data.phone}</a>
            </dd>
          </>
        )}
        {extra.length > 0 && (
          <>
            <dt>{t('customer.alsoKnownAs')}</dt>
            <dd>
              <ul className="identities" data-testid="identities">
                {extra.map((i) => (
                  <li key={`${i.kind}:${i.value}`}>{i.kind === 'email' ? <a href={`mailto:${i.value}`}>{i.value}</a> : i.kind === 'phone' ? <a href={`tel:${i.value}`}>{i.value}</a> : i.value}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t('customer.organisation')}</dt>
        <dd>{ticket.organisation ? <AppLink href={`/organisations/${ticket.organisation.id}`}>{ticket.organisation.name}</AppLink> : t('fields.empty')}</dd>
      </dl>
      {organisation.data && organisation.data.localAdministrators.length === 0 && (
        <p className="warn-note small" data-testid="no-local-admin">
          <strong>{t('customer.noLocalAdmin', { organisation: organisation.data.name })}</strong> {t('customer.noLocalAdminHint')}
        </p>
      )}
      <MergeCustomer customer={{ id: ticket.requester.id, name: ticket.requester.name }} />
      <h3>{t('customer.otherTickets')}</h3>
      {others.isSuccess && list.length === 0 && <p className="muted small">{t('customer.noOther')}</p>}
      <ul className="other-tickets">
        {list.map((tk) => (
          <li key={tk.id}>
            <a
              href={`/tickets/${tk.id}`}
              onClick={(e) => {
                e.preventDefault()
                navigate(`/tickets/${tk.id}`)
              }}
            >
              <Icon name={tk.channel} label={t(`channel.${tk.channel}`)} /> <span className="mono">{tk.number}</span> {tk.subject}
            </a>
            <div className="muted small">
              <span className={`badge status-${tk.status}`}>{t(`status.${tk.status}`)}</span> · {relativeTime(tk.updatedAt, i18n.language)}
            </div>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** "Samenvoegen met…": another customer who is the same person goes into this one (tickets, addresses, numbers). */
function MergeCustomer({ customer }: { customer: { id: string; name: string } }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [open, setOpen] = useState(false)
  const [other, setOther] = useState<User | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const merge = useMutation({
    mutationFn: (from: User) => api.mergeCustomer(from.id, customer.id),
    onSuccess: async (_result, from) => {
      setDone(t('customer.merged', { other: from.name, name: customer.name }))
      setOpen(false)
      setOther(null)
      await queryClient.invalidateQueries({ queryKey: ['identities', customer.id] })
      await queryClient.invalidateQueries({ queryKey: ['tickets'] })
    },
  })
  if (!open) {
    return (
      <p>
        {done && <span role="status" className="small">{done} </span>}
        <button type="button" className="btn btn-small" onClick={() => { setOpen(true); setDone(null) }}>
          {t('customer.merge')}
        </button>
      </p>
    )
  }
  const same = other?.id === customer.id
  return (
    <form
      className="merge-customer"
      aria-label={t('customer.merge')}
      onSubmit={(e) => {
        e.preventDefault()
        if (other && !same) merge.mutate(other)
      }}
    >
      <CustomerLookup label={t('customer.mergeLookup')} onPick={setOther} />
      {other && same && <p className="error-note small" role="alert">{t('customer.mergeSame')}</p>}
      {other && !same && <p className="small">{t('customer.mergeExplain', { other: other.name, name: customer.name })}</p>}
      <ErrorNote error={merge.error} />
      <div className="row">
        <button type="submit" className="btn btn-small btn-primary" disabled={!other || same || merge.isPending}>{t('customer.mergeConfirm')}</button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => { setOpen(false); setOther(null) }}>{t('customer.mergeCancel')}</button>
      </div>
    </form>
  )
}
