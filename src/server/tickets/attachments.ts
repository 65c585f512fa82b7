import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { toAttachment } from './ticket.mappers.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { articleRepository, attachmentRepository, ticketRepository } from './ticket.repository.js'

/** A file for a reply not yet sent: stored now, linked to the article that sends it (addArticle's attachmentIds). */
export async function uploadAttachment(deps: Deps, actor: Actor, ticketId: string, file: { filename: string; contentType: string; content: Buffer }) {
  const row = await visibleTicket(deps.db, actor, ticketId)
  if (!ticketPolicy.canAddPublicArticle(actor, row)) throw AppError.conflict('This ticket is closed.')
  if (file.content.length > deps.config.attachmentMaxBytes) {
    throw new AppError('payload_too_large', `Attachments may be at most ${deps.config.attachmentMaxBytes} bytes.`)
  }
  const hash = await deps.blobs.put(file.content)
  const attachment = {
    id: newId(),
    ticket_id: ticketId,
    article_id: null,
    filename: file.filename,
    content_type: file.contentType,
    size: file.content.length,
    sha256: hash,
    content_id: null,
    uploaded_by: recordedUserId(actor),
    created_at: deps.clock.iso(),
  }
  await attachmentRepository.insert(deps.db, attachment)
  return toAttachment(attachment)
}

/** An attachment's row and content, for whoever may see the article it belongs to (or uploaded it). */
export async function openAttachment(deps: Deps, actor: Actor, attachmentId: string) {
  const db = deps.db
  const attachment = await attachmentRepository.findById(db, attachmentId)
  if (!attachment) throw AppError.notFound('Attachment', attachmentId)
  const ticket = await ticketRepository.findById(db, attachment.ticket_id)
  if (!ticket || !ticketPolicy.canView(actor, ticket)) throw AppError.notFound('Attachment', attachmentId)
  if (attachment.article_id) {
    const article = await articleRepository.findById(db, attachment.article_id)
    if (article?.visibility === 'internal' && !ticketPolicy.canSeeInternal(actor)) throw AppError.notFound('Attachment', attachmentId)
  } else if (!isStaff(actor) && attachment.uploaded_by !== actor.user.id) {
    throw AppError.notFound('Attachment', attachmentId)
  }
  return { attachment, stream: deps.blobs.open(attachment.sha256) }
}
