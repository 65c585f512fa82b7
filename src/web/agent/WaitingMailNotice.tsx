import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { dateTime } from '../ui/format.js'
import { mailboxApi } from './mailboxApi.js'

/**
 * "N berichten wachten op een postvak dat kan versturen": account mails (invitations, password and
 * sign-in links, confirmations) that no mailbox could send yet. Nothing when none wait, or for
 * anyone but an administrator (the server answers 403).
 */
export function WaitingMailNotice() {
  const { t, i18n } = useTranslation()
  const waiting = useQuery({ queryKey: ['mailboxes', 'waiting-mail'], queryFn: ({ signal }) => mailboxApi.waitingMail(signal), refetchInterval: 10_000, retry: false })
  if (!waiting.data || waiting.data.count === 0) return null
  return (
    <div className="waiting-mail" role="status" data-waiting-mail={waiting.data.count}>
      <strong>{t('mailboxes.waitingMail.title', { count: waiting.data.count })}</strong>{' '}
      {t('mailboxes.waitingMail.body')}
      {waiting.data.since && <span className="muted"> {t('mailboxes.waitingMail.since', { at: dateTime(waiting.data.since, i18n.language) })}</span>}
    </div>
  )
}
