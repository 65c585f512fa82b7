import { useId, useState, type KeyboardEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { useStaff } from './useStaff.js'
import './knowledge.css'

/** `@` then what is typed so far (letters, no line break), just before the cursor. */
const TRIGGER = /(^|[\s(])@([\p{L}\p{N}'.-]*(?: [\p{L}\p{N}'.-]*){0,3})$/u

interface Options {
  textRef: RefObject<HTMLTextAreaElement | null>
  body: string
  onBodyChange(value: string): void
  /** Only in an internal note: a mention tells a colleague; a customer reply names no one. */
  enabled: boolean
}

/** Staff whose name (or a word of it) starts with what was typed, best first. */
export function mentionMatches(staff: readonly { id: string; name: string }[], query: string, limit = 6) {
  const q = query.trim().toLocaleLowerCase()
  if (!q) return staff.slice(0, limit)
  const starts = staff.filter((s) => s.name.toLocaleLowerCase().startsWith(q))
  const words = staff.filter((s) => !starts.includes(s) && s.name.toLocaleLowerCase().split(/\s+/).some((w) => w.startsWith(q)))
  return [...starts, ...words].slice(0, limit)
}

/**
 * `@naam` in a note: typing `@` opens the list of colleagues, narrowed as you type; ↑/↓ choose, Enter or
 * Tab puts `@Full Name` in the note. The named colleague gets a notification when the note is saved.
 */
export function useMentionPicker({ textRef, body, onBodyChange, enabled }: Options) {
  const { t } = useTranslation()
  const listId = useId()
  const staff = useStaff()
  const [trigger, setTrigger] = useState<{ start: number; query: string } | null>(null)
  const [active, setActive] = useState(0)
  const items = trigger ? mentionMatches(staff, trigger.query) : []
  // A query that matches no one (a space after a full name, an address like a@b) closes the list.
  const open = enabled && trigger !== null && items.length > 0

  const check = (value: string, cursor: number) => {
    const match = enabled ? TRIGGER.exec(value.slice(0, cursor)) : null
    if (!match) return setTrigger(null)
    setTrigger({ start: cursor - match[2].length - 1, query: match[2] })
    setActive(0)
  }

  const choose = (person: { name: string }) => {
    const at = trigger
    if (!at) return
    const cursor = textRef.current?.selectionStart ?? body.length
    const text = `@${person.name} `
    onBodyChange(body.slice(0, at.start) + text + body.slice(cursor))
    setTrigger(null)
    requestAnimationFrame(() => {
      const el = textRef.current
      if (!el) return
      el.focus()
      el.setSelectionRange(at.start + text.length, at.start + text.length)
    })
  }

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length)
      return true
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && items[active] && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      choose(items[active])
      return true
    }
    if (e.key === 'Escape') {
      e.preventDefault()
      setTrigger(null)
      return true
    }
    return false
  }

  const optionId = (i: number) => `${listId}-${i}`
  const popup = open ? (
    <div className="template-picker mention-picker">
      <ul id={listId} role="listbox" aria-label={t('notifications.mentionList')}>
        {items.map((person, i) => (
          <li
            key={person.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault()
              choose(person)
            }}
          >
            {person.name}
          </li>
        ))}
      </ul>
    </div>
  ) : null

  return {
    check,
    onKeyDown,
    popup,
    open,
    textareaProps: open ? { 'aria-controls': listId, 'aria-activedescendant': optionId(active) } : {},
  }
}
