import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'

type Handlers = Partial<Record<string, () => void>>

const isTyping = (target: EventTarget | null) => {
  const el = target as HTMLElement | null
  if (!el) return false
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName)
}

/** Single-key shortcuts (Gmail/Zendesk style), ignored while typing in a field or with a dialog open. */
export function useShortcuts(handlers: Handlers) {
  const ref = useRef(handlers)
  ref.current = handlers
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented || isTyping(e.target)) return
      if (document.querySelector('dialog[open]')) return
      const handler = ref.current[e.key]
      if (handler) {
        e.preventDefault()
        handler()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

export function useGlobalShortcuts(h: { search: () => void; help: () => void }) {
  useShortcuts({ '/': h.search, '?': h.help })
}

export const SHORTCUTS: [string, string][] = [
  ['j', 'shortcuts.next'],
  ['k', 'shortcuts.prev'],
  ['Enter', 'shortcuts.open'],
  ['x', 'shortcuts.select'],
  ['r', 'shortcuts.reply'],
  ['n', 'shortcuts.note'],
  ['t', 'shortcuts.template'],
  ['a', 'shortcuts.assignMe'],
  ['u', 'shortcuts.back'],
  ['/', 'shortcuts.search'],
  ['Ctrl+Enter', 'shortcuts.send'],
  ['?', 'shortcuts.help'],
]

export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) dialog.showModal()
    if (!open && dialog.open) dialog.close()
  }, [open])
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.key')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([key, label]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{t(label)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button className="btn btn-primary" type="submit" autoFocus>
          {t('common.close')}
        </button>
      </form>
    </dialog>
  )
}
