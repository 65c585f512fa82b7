/** @jsxImportSource preact */
import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { ApiError } from './api.js'
import { t } from './i18n.js'

/**
 * A page's heading: sets the window title and, after a navigation, moves focus to the heading so that
 * screen-reader users hear where they are.
 */
export function PageHeading({ title, children }: { title: string; children?: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    document.title = `${title} · Loket`
  }, [title])
  useEffect(() => {
    if (document.activeElement && document.activeElement !== document.body) ref.current?.focus()
  }, [])
  return (
    <h1 ref={ref} tabIndex={-1} className="page-title">
      {children ?? title}
    </h1>
  )
}

/** A problem said in plain words, with a way to try again when that could help. */
export function ErrorNote({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const text = error.status === 0 ? t('error.network') : error.status === 404 ? t('error.notFound') : error.status === 429 ? t('error.tooMany') : error.status >= 500 ? t('error.server') : error.message
  return (
    <div className="note note-error" role="alert">
      <p>{text}</p>
      {onRetry && (
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  )
}

export const errorFrom = (err: unknown) => (err instanceof ApiError ? err : new ApiError(0, 'error', String(err)))
