import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Executor } from '../db/schema.js'
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
  const [attachment] = await pendingAttachments(deps, deps.db, actor, ticketId, [{ filename: file.filename, contentType: file.contentType, size: file.content.length, sha256: hash }])
  return attachment
}

/**
 * Files already in the blob store (a template's) as uploads for the next reply on this ticket, in the
 * caller's transaction: the same bytes, no copy. Only while the ticket takes replies (else none).
 */
export async function attachStoredFiles(deps: Deps, db: Executor, actor: Actor, ticketId: string, files: readonly StoredFile[]) {
  if (files.length === 0) return []
  const row = await visibleTicket(db, actor, ticketId)
  if (!ticketPolicy.canAddPublicArticle(actor, row)) return []
  return pendingAttachments(deps, db, actor, ticketId, files)
}

/** A file in the blob store: its name, type, size and hash. */
export interface StoredFile {
  filename: string
  contentType: string
  size: number
  sha256: string
}

async function pendingAttachments(deps: Deps, db: Executor, actor: Actor, ticketId: string, files: readonly StoredFile[]) {
  const out = []
  for (const file of files) {
    const attachment = {
      id: newId(),
      ticket_id: ticketId,
      article_id: null,
      filename: file.filename,
      content_type: file.contentType,
      size: file.size,
      sha256: file.sha256,
      content_id: null,
      uploaded_by: recordedUserId(actor),
      created_at: deps.clock.iso(),
    }
    await attachmentRepository.insert(db, attachment)
    out.push(toAttachment(attachment))
  }
  return out
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
