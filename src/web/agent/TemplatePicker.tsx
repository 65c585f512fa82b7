import { useQuery } from '@tanstack/react-query'
import { useId, useState, type KeyboardEvent, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import type { Attachment } from './api.js'
import { knowledgeApi, openPlaceholders, type Template } from './knowledgeApi.js'
import './knowledge.css'

/** `::` then what is typed so far, just before the cursor: the template search of the composer. */
const TRIGGER = /(^|\s)::([\p{L}\p{N}_-]*)$/u

interface Options {
  ticketId: string
  textRef: RefObject<HTMLTextAreaElement | null>
  body: string
  /** The composer's own change handler (it keeps the draft). */
  onBodyChange(value: string): void
  /** The template's files, uploaded to the ticket: they join the reply's attachments. */
  onAttachments(files: Attachment[]): void
}

/**
 * Templates in the composer: typing `::` opens a list searched as you type (with nothing typed yet,
 * the templates that fit this ticket best come first), ↑/↓ choose, Enter inserts the template's text
 * for this ticket where the cursor is. The text stays editable; placeholders without a value stay
 * visible in braces and are listed until they are filled in. The template's files join the reply's
 * attachments (and can be taken off like any other).
 */
export function useTemplatePicker({ ticketId, textRef, body, onBodyChange, onAttachments }: Options) {
  const { t } = useTranslation()
  const listId = useId()
  const [trigger, setTrigger] = useState<{ start: number; query: string } | null>(null)
  const [active, setActive] = useState(0)
  const [error, setError] = useState<unknown>(null)
  const open = trigger !== null
  const suggested = useQuery({ queryKey: ['suggestions', ticketId], queryFn: ({ signal }) => knowledgeApi.suggestions(ticketId, signal), enabled: open, staleTime: 30_000 })
  const found = useQuery({
    queryKey: ['templates', trigger?.query ?? ''],
    queryFn: ({ signal }) => knowledgeApi.templates(trigger?.query ?? '', signal),
    enabled: open,
    staleTime: 10_000,
    placeholderData: (previous) => previous,
  })
  // With nothing typed yet, this ticket's suggested templates lead (`::` Enter inserts the best fit).
  const items: Pick<Template, 'id' | 'title' | 'shortcut'>[] = (() => {
    const searched = found.data ?? []
    if (trigger?.query) return searched
    const best = suggested.data?.templates ?? []
    return [...best, ...searched.filter((s) => !best.some((b) => b.id === s.id))].slice(0, 8)
  })()

  /** After every change: is the cursor just after `::word`? */
  const check = (value: string, cursor: number) => {
    const match = TRIGGER.exec(value.slice(0, cursor))
    if (!match) return setTrigger(null)
    setTrigger({ start: cursor - match[2].length - 2, query: match[2] })
    setActive(0)
  }

  const replaceRange = (from: number, to: number, text: string) => {
    const next = body.slice(0, from) + text + body.slice(to)
    onBodyChange(next)
    requestAnimationFrame(() => {
      const el = textRef.current
      if (!el) return
      el.focus()
      el.setSelectionRange(from + text.length, from + text.length)
    })
  }

  const choose = async (template: Pick<Template, 'id'>) => {
    const at = trigger
    setTrigger(null)
    setError(null)
    try {
      const rendered = await knowledgeApi.render(template.id, ticketId)
      const cursor = textRef.current?.selectionStart ?? body.length
      if (at) replaceRange(at.start, cursor, rendered.text)
      else replaceRange(cursor, textRef.current?.selectionEnd ?? cursor, rendered.text)
      if (rendered.attachments.length > 0) onAttachments(rendered.attachments)
    } catch (err) {
      setError(err)
    }
  }

  /** Keys for the list while it is open; true when the key was the list's. */
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (!open) return false
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const n = Math.max(items.length, 1)
      setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n)
      return true
    }
    if ((e.key === 'Enter' || e.key === 'Tab') && items[active] && !e.ctrlKey && !e.metaKey) {
      e.preventDefault()
      void choose(items[active])
      return true
    }
    if (e.key === 'Escape') {
      e.preventDefault()
      setTrigger(null)
      return true
    }
    return false
  }

  /** The toolbar button: starts a search where the cursor is, as if `::` was typed. */
  const start = () => {
    const el = textRef.current
    const cursor = el?.selectionStart ?? body.length
    const before = body.slice(0, cursor)
    const insert = before === '' || /\s$/.test(before) ? '::' : ' ::'
    const next = before + insert + body.slice(cursor)
    onBodyChange(next)
    setTrigger({ start: cursor + insert.length - 2, query: '' })
    setActive(0)
    requestAnimationFrame(() => {
      el?.focus()
      el?.setSelectionRange(cursor + insert.length, cursor + insert.length)
    })
  }

  const optionId = (i: number) => `${listId}-${i}`
  const popup = open ? (
    <div className="template-picker">
      <ul id={listId} role="listbox" aria-label={t('templates.pickerLabel')}>
        {items.map((item, i) => (
          <li
            key={item.id}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            className={i === active ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault()
              void choose(item)
            }}
          >
            {item.title}
            {item.shortcut && <span className="muted small"> ::{item.shortcut}</span>}
          </li>
        ))}
      </ul>
      <p className="muted small" role="status">
        {found.isFetching && items.length === 0 ? t('common.loading') : items.length === 0 ? t('templates.none') : t('templates.pickerHint')}
      </p>
    </div>
  ) : null

  const missing = openPlaceholders(body)
  return {
    check,
    onKeyDown,
    start,
    choose,
    /** Put text where the cursor is (an article link from the suggestions). */
    insertText: (text: string) => {
      const el = textRef.current
      replaceRange(el?.selectionStart ?? body.length, el?.selectionEnd ?? body.length, text)
    },
    popup,
    missing,
    error: error ? errorText(error, t) : null,
    /** For the textarea: which option is active, for screen readers. */
    textareaProps: open ? { 'aria-controls': listId, 'aria-activedescendant': items[active] ? optionId(active) : undefined } : {},
  }
}
