/** @jsxImportSource preact */
import { t } from './i18n.js'

/** A ticket's status in the customer's words; "waiting for your answer" stands out. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>
}
