import { handoffOf, parseMetadata } from '../../shared/api/article-metadata.js'
import type { ProposedReply } from '../../shared/api/escalations.js'
import type { AccountService } from '../accounts/account.service.js'
import type { Executor } from '../db/schema.js'
import { AppError } from '../errors.js'
import { articleRepository } from './ticket.repository.js'

/** What a public reply made from a back office's proposal records: who wrote it, from which department, and whether the desk changed it. */
export interface ProposalUse {
  articleId: string
  writtenBy: { id: string; name: string } | null
  departmentName: string | null
  changed: boolean
}

const normalised = (text: string) => text.replace(/\r\n/g, '\n').trim()

/** The proposed reply `proposalId` of this ticket, as the desk sends it now (`sentBody`). */
export async function proposalUsed(db: Executor, accounts: Pick<AccountService, 'peopleByIds'>, ticketId: string, proposalId: string, sentBody: string): Promise<ProposalUse> {
  const article = await articleRepository.findById(db, proposalId)
  const handoff = article && article.ticket_id === ticketId ? handoffIn(article.metadata) : undefined
  if (!article || handoff?.kind !== 'proposed_reply') throw AppError.validation('This is not a proposed reply on this ticket.', { field: 'proposedReplyId' })
  const [author] = article.author_id ? await accounts.peopleByIds(db, [article.author_id]) : []
  return {
    articleId: article.id,
    writtenBy: author ? { id: author.id, name: author.name } : null,
    departmentName: handoff.departmentName ?? null,
    changed: normalised(article.body) !== normalised(sentBody),
  }
}

/** A proposed reply of this ticket as the composer shows it (its author and department), or undefined when it is not one. */
export async function proposalOf(db: Executor, accounts: Pick<AccountService, 'peopleByIds'>, ticketId: string, proposalId: string): Promise<ProposedReply | undefined> {
  const article = await articleRepository.findById(db, proposalId)
  const handoff = article && article.ticket_id === ticketId ? handoffIn(article.metadata) : undefined
  if (!article || handoff?.kind !== 'proposed_reply') return undefined
  const [author] = article.author_id ? await accounts.peopleByIds(db, [article.author_id]) : []
  return {
    articleId: article.id,
    body: article.body,
    author: author ? { id: author.id, name: author.name } : null,
    departmentName: handoff.departmentName ?? null,
  }
}

/** The handoff an internal article belongs to (metadata.handoff), if any. */
const handoffIn = (metadata: string) => handoffOf(parseMetadata(metadata))
