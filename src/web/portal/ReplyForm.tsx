/** @jsxImportSource preact */
import { useRef, useState } from 'preact/hooks'
import { ApiError, call, type Ticket } from './api.js'
import { t } from './i18n.js'
import { ErrorNote, errorFrom } from './Page.js'

/** A reply to the desk, with files: each file is uploaded first, then sent with the text as one message. */
export function ReplyForm({ ticket, onSent }: { ticket: Ticket; onSent: () => void }) {
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [sent, setSent] = useState(false)
  const files = useRef<HTMLInputElement>(null)

  const submit = async (e: Event) => {
    e.preventDefault()
    if (!text.trim()) {
      setError(new ApiError(400, 'validation', t('reply.empty')))
      return
    }
    setBusy(true)
    setError(null)
    setSent(false)
    try {
      const attachmentIds: string[] = []
      for (const file of Array.from(files.current?.files ?? [])) {
        const uploaded = await call<{ id: string }>(`/tickets/${ticket.id}/attachments?filename=${encodeURIComponent(file.name)}`, { method: 'POST', file })
        attachmentIds.push(uploaded.id)
      }
      await call(`/tickets/${ticket.id}/articles`, { method: 'POST', body: { body: text, visibility: 'public', attachmentIds } })
      setText('')
      if (files.current) files.current.value = ''
      setSent(true)
      onSent()
    } catch (err) {
      setError(errorFrom(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card reply" onSubmit={(e) => void submit(e)} aria-labelledby="reply-title" noValidate>
      <h2 id="reply-title" className="section-title">
        {ticket.status === 'waiting_for_customer' ? t('reply.answerTitle') : t('reply.title')}
      </h2>
      {error && <ErrorNote error={error} />}
      <label className="field">
        <span>{t('reply.label')}</span>
        <textarea rows={5} value={text} required onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label className="field">
        <span>{t('reply.files')}</span>
        <input type="file" multiple ref={files} />
      </label>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t('reply.sending') : t('reply.send')}
      </button>
      <p role="status" className="muted">
        {sent ? t('reply.sent') : ''}
      </p>
    </form>
  )
}
