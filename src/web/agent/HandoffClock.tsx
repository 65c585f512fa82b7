import { useTranslation } from 'react-i18next'
import type { HandoffClockView } from '../../shared/api/escalations.js'
import { dateTime } from '../ui/format.js'
import { businessDuration } from './handoff.js'
import './handoff.css'

/**
 * The handoff clock (the back office's target, not the customer's deadline): op tijd, bijna te laat or
 * te laat, with the moment it is due, and how much business time the handoff has taken.
 */
export function HandoffClock({ clock }: { clock: HandoffClockView }) {
  const { t, i18n } = useTranslation()
  const spent = t('handoff.clock.spent', { duration: businessDuration(clock.businessMinutes, t) })
  if (clock.state === 'none') return <span className="muted small">{spent}</span>
  const at = clock.dueAt ? dateTime(clock.dueAt, i18n.language) : ''
  let text: string
  if (clock.running === null) text = clock.state === 'overdue' ? t('handoff.clock.backLate', { at }) : t('handoff.clock.backInTime')
  else {
    const late = clock.state === 'overdue'
    const due = clock.running === 'pickup' ? (late ? 'pickupLate' : 'pickupDue') : late ? 'returnLate' : 'returnDue'
    text = `${t(`handoff.clock.${clock.state}`)}: ${t(`handoff.clock.${due}`, { at })}`
  }
  return (
    <span className="handoff-clock">
      <span className={`clock-badge clock-${clock.state}`} data-clock={clock.state}>
        {text}
      </span>{' '}
      <span className="muted small">{spent}</span>
    </span>
  )
}
