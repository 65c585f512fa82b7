import { AccountService } from './accounts/account.service.js'
import { OrganisationService } from './accounts/organisation.service.js'
import type { Deps } from './deps.js'
import { MailboxService } from './channels/email/mailbox.service.js'
import { DeskService } from './desk/desk.service.js'
import { DraftService } from './drafts/draft.service.js'
import { TicketService } from './tickets/ticket.service.js'

export interface Services {
  accounts: AccountService
  organisations: OrganisationService
  desk: DeskService
  tickets: TicketService
  drafts: DraftService
  mailboxes: MailboxService
}

export function createServices(deps: Deps): Services {
  const accounts = new AccountService(deps)
  const tickets = new TicketService(deps, accounts)
  return {
    accounts,
    organisations: new OrganisationService(deps),
    desk: new DeskService(deps, accounts),
    tickets,
    drafts: new DraftService(deps, tickets),
    mailboxes: new MailboxService(deps),
  }
}
