import type { SearchQuery, SearchResult, TicketHit } from '../../shared/api/search.js'
import type { AccountService } from '../accounts/account.service.js'
import type { Actor } from '../accounts/actor.js'
import type { OrganisationService } from '../accounts/organisation.service.js'
import type { TicketService } from '../tickets/ticket.service.js'

/** What the search box asks the modules that own the things it finds. */
export interface SearchPeers {
  tickets: Pick<TicketService, 'findByNumber' | 'list'>
  accounts: Pick<AccountService, 'findByContact'>
  organisations: Pick<OrganisationService, 'findByName'>
}

/**
 * One search box for everything a caller may read out: a ticket number, an e-mail address, a phone
 * number, an organisation's name, or words from the tickets. Each kind is asked of the module that owns
 * it, with the reader's permissions (a customer finds only their own tickets and nobody else); the words
 * when no ticket or person answers to the query as a number or address.
 */
export class SearchService {
  constructor(private readonly peers: SearchPeers) {}

  async search(actor: Actor, query: SearchQuery): Promise<SearchResult> {
    const q = query.q.trim()
    const [byNumber, people, organisations] = await Promise.all([
      this.peers.tickets.findByNumber(actor, q),
      this.peers.accounts.findByContact(actor, q),
      this.peers.organisations.findByName(actor, q),
    ])
    // A number, phone number or address that names a ticket or a person is what was asked for: the
    // tickets' words are searched only when it names none. They hold such digits only by chance, and
    // searching them was most of the answer's time (3.7 of 4.6 ms on SQLite).
    const fullText = byNumber.length > 0 || people.length > 0 ? { items: [] } : await this.peers.tickets.list(actor, { q, limit: query.limit ?? 20 })
    const numbered = new Set(byNumber.map((t) => t.id))
    const tickets: TicketHit[] = [
      ...byNumber.map((ticket) => ({ matchedOn: 'number' as const, ticket })),
      ...fullText.items.filter((t) => !numbered.has(t.id)).map((ticket) => ({ matchedOn: 'text' as const, ticket })),
    ]
    // A number a caller reads out opens its ticket: the whole number, or a sequence only one year has.
    const exactTicketId = byNumber.length === 1 ? byNumber[0].id : null
    return { query: q, exactTicketId, tickets, people, organisations }
  }
}
