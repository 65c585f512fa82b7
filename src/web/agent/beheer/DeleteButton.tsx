import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { ApiError } from '../api.js'

/**
 * Delete after a confirmation. When something still depends on the thing, the server answers 409 with
 * `dependants` ({ tickets: 3, members: 2 }): that is shown as the reason, in the reader's language.
 */
export function DeleteButton({ name, onDelete, onDeleted }: { name: string; onDelete: () => Promise<unknown>; onDeleted: () => void }) {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const dependants = error instanceof ApiError && error.status === 409 ? (error.body.dependants as Record<string, number> | undefined) : undefined

  const confirm = async () => {
    setBusy(true)
    setError(null)
    try {
      await onDelete()
      onDeleted()
    } catch (err) {
      setError(err)
      setAsking(false)
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="delete-box">
      {!asking ? (
        <button type="button" className="btn" onClick={() => setAsking(true)}>
          {t('beheer.delete')}
        </button>
      ) : (
        <div className="row wrap" role="group" aria-label={t('beheer.deleteConfirm', { name })}>
          <span>{t('beheer.deleteConfirm', { name })}</span>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void confirm()}>
            {t('beheer.deleteYes')}
          </button>
          <button type="button" className="btn" onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {dependants ? (
        <p className="error-note" role="alert">
          {t('beheer.cannotDelete', {
            list: Object.entries(dependants)
              .map(([kind, count]) => t(`beheer.dependants.${kind}`, { count }))
              .join(', '),
          })}
        </p>
      ) : (
        <ErrorNote error={error} />
      )}
    </div>
  )
}
