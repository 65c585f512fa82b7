import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Ticket } from './api.js'

/**
 * How a public reply on the ticket reaches the customer (issue 14): by e-mail to whom and from which
 * mailbox, only in the portal, or not at all. Asked again when the ticket changes (another requester or group).
 */
export function useReplyRoute(ticket: Pick<Ticket, 'id' | 'version'>) {
  return useQuery({
    queryKey: ['reply-route', ticket.id, ticket.version],
    queryFn: ({ signal }) => api.replyRoute(ticket.id, signal),
    staleTime: 30_000,
  })
}

/** The line above "Versturen": where the reply will go, said before it is sent. */
export function ReplyRouteLine({ ticket }: { ticket: Pick<Ticket, 'id' | 'version'> }) {
  const { t } = useTranslation()
  const route = useReplyRoute(ticket).data
  if (!route) return null
  if (route.channel === 'email') {
    return (
      <p className="reply-route reply-route-email" data-testid="reply-route">
        {t('composer.routeEmail', { to: route.to, from: route.from })}
      </p>
    )
  }
  // In the portal only: said plainly when the customer cannot sign in there yet (no password, no mailbox for a link).
  const key =
    route.channel === 'portal'
      ? route.portalSignIn === 'none'
        ? 'composer.routePortalNoSignIn'
        : 'composer.routePortal'
      : route.reason === 'no-sign-in'
        ? 'composer.routeNoneDisabled'
        : 'composer.routeNone'
  return (
    <p className={`reply-route reply-route-${route.channel ?? 'none'}`} role={route.channel ? undefined : 'alert'} data-testid="reply-route">
      {t(key)}
    </p>
  )
}

/** Said on every ticket while no mailbox can send: no reply goes out by mail anywhere. */
export function NoMailboxNotice({ ticket }: { ticket: Pick<Ticket, 'id' | 'version'> }) {
  const { t } = useTranslation()
  const route = useReplyRoute(ticket).data
  if (!route || route.mailboxCanSend) return null
  return (
    <p className="notice no-mailbox-notice" role="status">
      {t('ticket.noMailbox')}
    </p>
  )
}
