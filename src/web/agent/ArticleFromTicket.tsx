import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import type { Ticket } from './api.js'
import { useGroups } from './DeskSelects.js'
import { knowledgeApi } from './knowledgeApi.js'
import { navigate } from './router.js'

/**
 * "Maak kennisartikel": on a resolved ticket, or one escalated to a back office, a draft article from
 * its solution note, opened in the editor for the owner group to review and publish.
 */
export function ArticleFromTicket({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation()
  const groups = useGroups()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const line = groups.data?.find((g) => g.id === ticket.groupId)?.line ?? 1
  if (!(ticket.status === 'resolved' || ticket.status === 'closed' || line >= 2)) return null
  const make = async () => {
    setBusy(true)
    setError(null)
    try {
      const article = await knowledgeApi.fromTicket(ticket.id)
      navigate(`/knowledge/${article.id}`)
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }
  return (
    <>
      <button type="button" className="btn btn-small" onClick={() => void make()} disabled={busy}>
        {busy ? t('common.saving') : t('knowledge.fromTicket')}
      </button>
      {error != null && (
        <span className="error-note" role="alert">
          {errorText(error, t)}
        </span>
      )}
    </>
  )
}
