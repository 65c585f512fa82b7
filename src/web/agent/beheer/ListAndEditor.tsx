import { useState, type ReactNode } from 'react'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { ScreenHead } from './ScreenHead.js'

/** What a list item or the editor may do to the screen: open the editor, or say what just happened. */
export interface ListActions<T> {
  edit: (item: T) => void
  notify: (message: string | null) => void
}

/**
 * The shape of a Beheer screen that keeps a list of things: the heading with an "add" button, a line of
 * explanation, the editor (for a new thing or the one chosen) above the list, what just happened, and the
 * list itself, or a sentence when it is empty. A screen gives its texts, its list and how to show an item
 * and the editor.
 */
export function ListAndEditor<T extends { id: string }>(props: {
  title: string
  intro: string
  addLabel: string
  /** Whether this reader may add (the API checks again). */
  canAdd?: boolean
  emptyText: string
  list: { data: readonly T[] | undefined; error: unknown; refetch: () => unknown }
  item: (item: T, actions: ListActions<T>) => ReactNode
  editor: (item: T | null, done: (message: string | null) => void) => ReactNode
}) {
  const [editing, setEditing] = useState<T | 'new' | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const actions: ListActions<T> = { edit: setEditing, notify: setNotice }
  const done = (message: string | null) => {
    setEditing(null)
    setNotice(message)
  }
  return (
    <div className="beheer">
      <ScreenHead title={props.title} notice={notice}>
        {editing === null && props.canAdd !== false && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {props.addLabel}
          </button>
        )}
      </ScreenHead>
      <p className="muted">{props.intro}</p>
      {editing !== null && <div key={editing === 'new' ? 'new' : editing.id}>{props.editor(editing === 'new' ? null : editing, done)}</div>}
      <ErrorNote error={props.list.error} onRetry={() => void props.list.refetch()} />
      {props.list.data?.length === 0 && <p className="empty">{props.emptyText}</p>}
      <ul className="admin-list" aria-label={props.title}>
        {props.list.data?.map((item) => (
          <li key={item.id} className="panel">
            {props.item(item, actions)}
          </li>
        ))}
      </ul>
    </div>
  )
}
