import { useLayoutEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { dateTime, fileSize } from '../ui/format.js'
import { fieldLabel, useTicketFields } from './ticketFields.js'
import { Icon } from '../ui/icons.js'
import type { Article, HistoryEntry, Ticket } from './api.js'
import { DeliveryLine } from './DeliveryLine.js'
import { SplitArticle } from './SplitArticle.js'

const QUOTE_INTRO = /^(Op .+ schreef .+:|On .+ wrote:|-{2,} ?(Oorspronkelijk bericht|Original Message) ?-{2,}|Van: .+|From: .+)$/i

/** Splits a plain-text body (as HTML with <br>) into what is new and the quoted history below it. */
export function splitQuoted(html: string): { fresh: string; quoted: string | null } {
  const lines = html.split('<br>')
  const at = lines.findIndex((line, i) => {
    const trimmed = line.trim()
    if (QUOTE_INTRO.test(trimmed)) return true
    return trimmed.startsWith('&gt;') && lines.slice(i).every((l) => l.trim() === '' || l.trim().startsWith('&gt;'))
  })
  if (at <= 0) return { fresh: html, quoted: null }
  return { fresh: lines.slice(0, at).join('<br>'), quoted: lines.slice(at).join('<br>') }
}

export interface TranscriptLine {
  time: string
  who: string
  text: string
}

/** A chat transcript as the widget stores it: one "[hh:mm] Name: text" line per message. Null when it is not one. */
export function parseTranscript(body: string): TranscriptLine[] | null {
  const lines: TranscriptLine[] = []
  for (const raw of body.split(/\r?\n/)) {
    if (raw.trim() === '') continue
    const m = /^\[(\d{1,2}:\d{2}(?::\d{2})?)\] ([^:]{1,80}): (.*)$/.exec(raw)
    if (m) lines.push({ time: m[1], who: m[2], text: m[3] })
    else if (lines.length > 0) lines[lines.length - 1].text += `\n${raw}`
    else return null
  }
  return lines.length > 0 ? lines : null
}

function Transcript({ lines, agentName }: { lines: TranscriptLine[]; agentName: string }) {
  const { t } = useTranslation()
  return (
    <ol className="transcript" aria-label={t('timeline.transcript')}>
      {lines.map((line, i) => (
        <li key={i} className={agentName && agentName.split(' ')[0] === line.who ? 'from-agent' : 'from-customer'}>
          <span className="muted small">{line.time}</span> <strong>{line.who}:</strong> <span className="transcript-text">{line.text}</span>
        </li>
      ))}
    </ol>
  )
}

function ArticleBody({ article }: { article: Article }) {
  const transcript = article.channel === 'chat' && article.contentType !== 'text/html' ? parseTranscript(article.body) : null
  if (transcript) return <Transcript lines={transcript} agentName={typeof article.metadata.agent === 'string' ? article.metadata.agent : ''} />
  return <MessageBody article={article} />
}

function MessageBody({ article }: { article: Article }) {
  const { t } = useTranslation()
  const ref = useRef<HTMLDivElement>(null)
  const isHtml = article.contentType === 'text/html'
  const parts = isHtml ? { fresh: article.bodyHtml, quoted: null } : splitQuoted(article.bodyHtml)

  // Quoted history in HTML mail (blockquotes, Outlook/Gmail quote blocks) is folded away.
  useLayoutEffect(() => {
    const root = ref.current
    if (!root || !isHtml) return
    const quotes = [...root.querySelectorAll('blockquote, .gmail_quote, #divRplyFwdMsg')].filter((el) => !el.parentElement?.closest('blockquote, .gmail_quote, details'))
    for (const quote of quotes) {
      const details = document.createElement('details')
      details.className = 'quoted'
      const summary = document.createElement('summary')
      summary.textContent = t('timeline.quoted')
      quote.replaceWith(details)
      details.append(summary, quote)
    }
  }, [article.bodyHtml, isHtml, t])

  return (
    <div className="article-body" ref={ref}>
      <div dangerouslySetInnerHTML={{ __html: parts.fresh }} />
      {parts.quoted && (
        <details className="quoted">
          <summary>{t('timeline.quoted')}</summary>
          <div dangerouslySetInnerHTML={{ __html: parts.quoted }} />
        </details>
      )}
    </div>
  )
}

/** Field changes shown between the messages, when the agent asks for them. */
export interface TimelineChanges {
  entries: HistoryEntry[]
  /** Field value as the agent reads it (names instead of ids, translated statuses). */
  display(field: string, value: string | null): string
}

/** The raw message of an inbound mail (metadata.email.rawAttachmentId): offered as a download of its own. */
export function rawMailId(article: Article): string | null {
  const id = (article.metadata as { email?: { rawAttachmentId?: unknown } }).email?.rawAttachmentId
  return typeof id === 'string' ? id : null
}

/** What the e-mail channel noted about an inbound mail that the agent must know (issue 14). */
function MailNotes({ article }: { article: Article }) {
  const { t } = useTranslation()
  const email = (article.metadata as { email?: { senderUnknown?: { raw?: string }; reusedMessageId?: { messageId?: string; ticketId?: string } } }).email
  if (!email?.senderUnknown && !email?.reusedMessageId) return null
  return (
    <ul className="mail-notes small" aria-label={t('timeline.mailNotes')}>
      {email.senderUnknown && (
        <li className="mail-note mail-note-sender" data-note="sender-unknown">
          <strong>{t('timeline.senderUnknown')}</strong> <span className="mono">{email.senderUnknown.raw}</span> — {t('timeline.senderUnknownHint')}
        </li>
      )}
      {email.reusedMessageId && (
        <li className="mail-note" data-note="reused-message-id">
          {t('timeline.reusedMessageId', { messageId: email.reusedMessageId.messageId })}{' '}
          {email.reusedMessageId.ticketId && <a href={`/tickets/${email.reusedMessageId.ticketId}`}>{t('timeline.reusedMessageIdLink')}</a>}
        </li>
      )}
    </ul>
  )
}

/** The step of a handoff an internal article is (metadata.handoff, written by the server). */
function handoffOf(article: Article): { kind: string; groupName: string } | null {
  const h = (article.metadata as { handoff?: { kind?: unknown; groupName?: unknown } }).handoff
  if (!h || typeof h.kind !== 'string') return null
  return { kind: h.kind, groupName: typeof h.groupName === 'string' ? h.groupName : '' }
}

/** A reply made from a back office's proposal (metadata.proposal): who wrote it, who sent it, whether the desk changed it. */
function ProposalUsed({ article }: { article: Article }) {
  const { t } = useTranslation()
  const p = (article.metadata as { proposal?: { writtenBy?: { name?: unknown } | null; departmentName?: unknown; changed?: unknown } }).proposal
  if (!p) return null
  const writer = typeof p.writtenBy?.name === 'string' ? p.writtenBy.name : t('timeline.system')
  const sender = article.author?.name ?? t('timeline.system')
  const department = typeof p.departmentName === 'string' ? p.departmentName : null
  return (
    <p className="proposal-used" data-proposal={p.changed === true ? 'changed' : 'unchanged'}>
      {department ? t('timeline.proposalUsedDepartment', { writer, department, sender }) : t('timeline.proposalUsed', { writer, sender })};{' '}
      {p.changed === true ? t('timeline.proposalChanged') : t('timeline.proposalUnchanged')}
    </p>
  )
}

type Item = { kind: 'article'; at: string; article: Article } | { kind: 'change'; at: string; entry: HistoryEntry }

export function Timeline({
  articles,
  changes,
  canResend = false,
  splitFrom,
}: {
  articles: Article[]
  changes?: TimelineChanges
  canResend?: boolean
  /** The ticket a customer's message can be split off from ("Splitsen"), and what to do with the new one; left out where splitting is not offered. */
  splitFrom?: { ticket: Ticket; onSplit: (created: Ticket) => void }
}) {
  const { t, i18n } = useTranslation()
  const ticketFields = useTicketFields()
  const items: Item[] = articles.map((a) => ({ kind: 'article', at: a.createdAt, article: a }))
  if (changes) {
    items.push(...changes.entries.map((e): Item => ({ kind: 'change', at: e.createdAt, entry: e })))
    items.sort((x, y) => x.at.localeCompare(y.at))
  }
  return (
    <ol className="timeline" aria-label={t('timeline.title')}>
      {items.map((item) => {
        if (item.kind === 'change') {
          const e = item.entry
          const custom = e.field.startsWith('customFields.') ? ticketFields.data?.find((f) => `customFields.${f.key}` === e.field) : undefined
          const label = custom ? fieldLabel(custom, i18n.language) : t(`fields.${e.field.replace(/Id$/, '')}`, { defaultValue: e.field })
          return (
            <li key={`h-${e.id}`} className="change" data-change={e.field}>
              <span className="article-author">{e.actor?.name ?? t('timeline.system')}</span>{' '}
              {e.field === 'created' ? (
                t('timeline.created', { number: e.newValue ?? '' })
              ) : (
                <>
                  {label}: {changes!.display(e.field, e.oldValue)} → <strong>{changes!.display(e.field, e.newValue)}</strong>
                </>
              )}{' '}
              <time dateTime={e.createdAt} className="muted">
                {dateTime(e.createdAt, i18n.language)}
              </time>
            </li>
          )
        }
        const a = item.article
        const internal = a.visibility === 'internal'
        const rawId = rawMailId(a)
        const raw = rawId ? a.attachments.find((f) => f.id === rawId) : undefined
        const files = raw ? a.attachments.filter((f) => f !== raw) : a.attachments
        const handoff = internal ? handoffOf(a) : null
        const splittable = !!splitFrom && !internal && a.direction === 'in' && articles.length > 1 && splitFrom.ticket.status !== 'closed' && !splitFrom.ticket.mergedInto
        return (
          <li key={a.id} className={`article ${internal ? 'article-internal' : `article-${a.direction}`}`} data-article={a.id} data-visibility={a.visibility} data-handoff={handoff?.kind}>
            <article aria-label={internal ? t('timeline.internalNote') : t(`direction.${a.direction}`)}>
              <header className="article-head">
                <span className="article-channel">
                  <Icon name={internal ? 'note' : a.channel} />
                  {internal ? <strong className="internal-badge">{t('timeline.internalNote')}</strong> : <span>{t(`channel.${a.channel}`)}</span>}
                </span>
                {!internal && (
                  <span className="article-direction">
                    <Icon name={a.direction} />
                    {t(`direction.${a.direction}`)}
                  </span>
                )}
                {handoff && (
                  <span className="handoff-label">
                    {handoff.kind === 'escalated'
                      ? t('timeline.handoffEscalated', { group: handoff.groupName })
                      : handoff.kind === 'returned'
                        ? t('timeline.handoffReturned')
                        : handoff.kind === 'proposed_reply'
                          ? t('timeline.handoffProposal')
                          : t('timeline.handoffThread')}
                  </span>
                )}
                <span className="article-author">{a.author?.name ?? t('timeline.system')}</span>
                <time dateTime={a.createdAt} className="muted">
                  {dateTime(a.createdAt, i18n.language)}
                </time>
              </header>
              <MailNotes article={a} />
              <ArticleBody article={a} />
              {!internal && a.direction === 'out' && <ProposalUsed article={a} />}
              <DeliveryLine article={a} canResend={canResend} />
              {files.length > 0 && (
                <ul className="attachments" aria-label={t('timeline.attachments')}>
                  {files.map((f) => (
                    <li key={f.id}>
                      {/^image\/(png|jpeg|gif|webp)$/.test(f.contentType) && (
                        <a href={f.url} target="_blank" rel="noopener">
                          <img src={f.url} alt={f.filename} className="preview" loading="lazy" />
                        </a>
                      )}
                      <a href={f.url} target="_blank" rel="noopener" download={f.contentType === 'application/pdf' ? undefined : f.filename}>
                        <Icon name="paperclip" /> {f.filename}
                      </a>{' '}
                      <span className="muted small">({fileSize(f.size, i18n.language)})</span>
                    </li>
                  ))}
                </ul>
              )}
              {raw && (
                <p className="raw-mail small">
                  <a href={raw.url} download={raw.filename.endsWith('.eml') ? raw.filename : `${raw.filename}.eml`} title={t('timeline.rawMailHint')}>
                    <Icon name="email" /> {t('timeline.rawMail')}
                  </a>{' '}
                  <span className="muted">({fileSize(raw.size, i18n.language)})</span>
                </p>
              )}
              {splittable && splitFrom && <SplitArticle ticket={splitFrom.ticket} article={a} onSplit={splitFrom.onSplit} />}
            </article>
          </li>
        )
      })}
    </ol>
  )
}
