import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { ApiError } from '../agent/api.js'

/** Turns any failure into a sentence an agent understands, with what to do next. */
export function errorText(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('errors.network')
    if (err.status === 401) return t('errors.unauthenticated')
    if (err.status === 403) return t('errors.forbidden')
    if (err.status === 404) return t('errors.notFound')
    if (err.status === 409) return t('errors.conflict', { detail: err.message })
    if (err.status === 412) return t('errors.stale')
    if (err.status === 413) return t('errors.tooLarge')
    if (err.status === 429) return t('errors.rateLimited')
    if (err.status === 400 || err.status === 422) return t('errors.validation', { detail: err.message })
    if (err.status >= 500) return t('errors.server')
  }
  return t('errors.unknown')
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation()
  if (!error) return null
  return (
    <div className="error-note" role="alert">
      <span>{errorText(error, t)}</span>
      {onRetry && (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}
