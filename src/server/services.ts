import { AccountService } from './accounts/account.service.js'
import { AuditService } from './audit/audit.service.js'
import { BrandingService } from './branding/branding.service.js'
import { CalendarService } from './calendars/calendar.service.js'
import { CatalogueService } from './catalogue/catalogue.service.js'
import { OrganisationService } from './accounts/organisation.service.js'
import { PortalService } from './portal/portal.service.js'
import { BannerService } from './portal/banner.service.js'
import { LocalAdminService } from './accounts/local-admin.service.js'
import { ContactIdentityService } from './accounts/contact-identity.service.js'
import { PrivacyService } from './privacy/privacy.service.js'
import { RoutingService } from './routing/routing.service.js'
import { SsoService } from './accounts/sso/sso.service.js'
import { MailboxOAuthService } from './channels/email/oauth/mailbox-oauth.service.js'
import type { Deps } from './deps.js'
import { NotificationService } from './notifications/notification.service.js'
import { MailboxService } from './channels/email/mailbox.service.js'
import { SignatureService } from './desk/signature.service.js'
import { DeskService } from './desk/desk.service.js'
import { DraftService } from './drafts/draft.service.js'
import { KnowledgeService } from './knowledge/knowledge.service.js'
import { QueueService } from './queues/queue.service.js'
import { SearchService } from './search/search.service.js'
import { TemplateService } from './templates/template.service.js'
import { TicketFieldService } from './fields/ticket-field.service.js'
import { TicketService } from './tickets/ticket.service.js'
import { WebhookService } from './webhooks/webhook.service.js'

export interface Services {
  accounts: AccountService
  audit: AuditService
  branding: BrandingService
  signatures: SignatureService
  organisations: OrganisationService
  desk: DeskService
  tickets: TicketService
  drafts: DraftService
  mailboxes: MailboxService
  mailboxOAuth: MailboxOAuthService
  webhooks: WebhookService
  templates: TemplateService
  sso: SsoService
  knowledge: KnowledgeService
  privacy: PrivacyService
  search: SearchService
  routing: RoutingService
  portal: PortalService
  banners: BannerService
  localAdmins: LocalAdminService
  identities: ContactIdentityService
  catalogue: CatalogueService
  queues: QueueService
  notifications: NotificationService
  calendars: CalendarService
  fields: TicketFieldService
}

export function createServices(deps: Deps): Services {
  const audit = new AuditService(deps)
  const accounts = new AccountService(deps, audit)
  const organisations = new OrganisationService(deps)
  const calendars = new CalendarService(deps, audit)
  const desk = new DeskService(deps, accounts, audit, calendars)
  const mailboxOAuth = new MailboxOAuthService(deps, audit)
  const mailboxes = new MailboxService(deps, audit, mailboxOAuth)
  const routing = new RoutingService(deps, { desk, organisations, accounts, mailboxExists: async (id) => !!(await mailboxes.configById(id)) }, audit)
  const fields = new TicketFieldService(deps, { accounts, organisations, desk }, audit)
  const tickets = new TicketService(deps, { accounts, organisations, desk, audit, fields, calendars }, [routing.hook])
  // A calendar or a group's targets changed: every open handoff they concern gets its due times again.
  calendars.onChanged = async () => void (await tickets.handoffClock.recompute(null))
  desk.onHandoffSettingsChanged = async (groupIds) => void (await tickets.handoffClock.recompute(groupIds))
  const sso = new SsoService(deps, accounts, audit)
  accounts.passwordSignInAllowed = (row) => sso.passwordSignInAllowed(row)
  const templates = new TemplateService(deps, tickets, accounts, desk)
  const knowledge = new KnowledgeService(deps, tickets, accounts, desk, templates)
  const branding = new BrandingService(deps, audit)
  return {
    accounts,
    audit,
    branding,
    signatures: new SignatureService(deps, { accounts, desk, branding, tickets }),
    organisations,
    desk,
    tickets,
    drafts: new DraftService(deps, tickets),
    mailboxes,
    mailboxOAuth,
    webhooks: new WebhookService(deps, audit),
    templates,
    sso,
    knowledge,
    privacy: new PrivacyService(deps, audit, fields),
    search: new SearchService({ tickets, accounts, organisations }),
    routing,
    portal: new PortalService(deps, knowledge),
    banners: new BannerService(deps, audit),
    localAdmins: new LocalAdminService(deps, accounts, audit),
    identities: new ContactIdentityService(deps, accounts, audit, tickets),
    catalogue: new CatalogueService(deps, tickets, desk, audit, fields),
    queues: new QueueService(deps, { tickets, accounts, desk, audit }),
    notifications: new NotificationService(deps, { tickets, desk, accounts }),
    calendars,
    fields,
  }
}
