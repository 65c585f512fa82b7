import type { OwnSignature } from '../../shared/api/desk.js'
import { renderSignature } from '../../shared/signature.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isStaff } from '../accounts/actor.js'
import type { BrandingService } from '../branding/branding.service.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { TicketService } from '../tickets/ticket.service.js'
import type { DeskService } from './desk.service.js'

/**
 * The signature of a public reply: the group's template (Beheer → Groepen) with the agent's own part
 * (their profile page) filled in; rendered in shared/signature.ts, where the order is written down.
 * It is applied in one place: the e-mail adapter, when the reply's mail is made (the stored reply, the
 * portal and chat show the message without it). A reply without one gets the sending mailbox's signature.
 */
export class SignatureService {
  constructor(
    private readonly deps: Deps,
    private readonly peers: {
      accounts: Pick<AccountService, 'getUserRow' | 'ownSignature' | 'setOwnSignature'>
      desk: Pick<DeskService, 'groupById'>
      branding: Pick<BrandingService, 'current'>
      tickets: Pick<TicketService, 'get'>
    },
  ) {}

  /** A reply's signature by this author on a ticket in this group; '' when there is none. */
  async forReply(authorId: string | null, groupId: string | null): Promise<string> {
    const [author, group] = await Promise.all([
      authorId ? this.peers.accounts.getUserRow(authorId) : undefined,
      groupId ? this.peers.desk.groupById(this.deps.db, groupId) : undefined,
    ])
    // Only staff sign replies (a customer's own message never gets one).
    if (!author || author.role === 'customer') return ''
    const template = group?.signature_template ?? ''
    if (!template.trim() && !author.signature.trim()) return ''
    const organisationName = template.trim() ? ((await this.peers.branding.current()).name ?? '') : ''
    return renderSignature(template, { agentName: author.name, agentSignature: author.signature, groupName: group?.name ?? '', organisationName })
  }

  /** The composer's preview: the signature the actor's public reply on this ticket gets by mail ('' : the mailbox's). */
  async preview(actor: Actor, ticketId: string): Promise<OwnSignature> {
    const ticket = await this.peers.tickets.get(actor, ticketId)
    if (!isStaff(actor)) throw AppError.forbidden('see reply signatures (staff only)')
    return { signature: await this.forReply(actor.user.id, ticket.groupId) }
  }

  async own(actor: Actor): Promise<OwnSignature> {
    return { signature: await this.peers.accounts.ownSignature(actor) }
  }

  async setOwn(actor: Actor, body: OwnSignature): Promise<OwnSignature> {
    return { signature: await this.peers.accounts.setOwnSignature(actor, body.signature) }
  }
}
