import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { relativeTime } from '../ui/format.js'
import { Icon } from '../ui/icons.js'
import { api, type Ticket } from './api.js'
import { AppLink } from './AppLink.js'
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
  const list = (others.data?.items ?? []).filter((tk) => tk.id !== ticket.id)
  return (
    <section className="panel customer" aria-labelledby="customer-title">
      <h2 id="customer-title">{t('customer.title')}</h2>
      <p className="customer-name">{ticket.requester.name}</p>
      <dl className="facts">
        <dt>{t('customer.email')}</dt>
        <dd>
          <a href={`mailto:${ticket.requester.email}`}>{ticket.requester.email}</a>
        </dd>
        {requester.data?.phone && (
          <>
            <dt>{t('customer.phone')}</dt>
            <dd>
              <a href={`tel:${requester.data.phone}`}>{requester.data.phone}</a>
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
