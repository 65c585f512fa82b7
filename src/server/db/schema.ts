import type { ColumnType, Generated, Kysely, Selectable, Transaction, Updateable } from 'kysely'

/** Table types, as stored. Timestamps are ISO-8601 UTC text; booleans are 0/1. */
export interface OrganisationTable {
  id: string
  name: string
  created_at: string
  updated_at: string
  self_registration: Generated<number>
  /** How to reach the organisation, and the desk's own notes about it (never shown to its members). */
  contact_email: string | null
  contact_phone: string | null
  address: string | null
  notes: string | null
}
export interface OrganisationDomainTable { domain: string; organisation_id: string }
export interface AppUserTable {
  id: string
  /** The address mail goes to and one signs in with; null for a contact known only by phone or chat. */
  email: string | null
  name: string
  role: string
  password_hash: string | null
  organisation_id: string | null
  language: string
  phone: string | null
  /** The phone number in E.164 (+31612345678), for finding a caller whatever notation was typed; null when it is none. */
  phone_e164: string | null
  active: number
  /** 1: local administrator (lokaal beheerder) of their organisation. */
  local_admin: Generated<number>
  /** Staff: their own part of a group's signature ({{agent.handtekening}}); '' none. */
  signature: ColumnType<string, string | undefined, string>
  created_at: string
  updated_at: string
  /** A customer merged into another: disabled, and pointing at the one they went into. */
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>
}
/** One of a person's identifiers (kind, value) — an e-mail address, an E.164 phone number, a chat visitor id. */
export interface ContactIdentityTable {
  kind: 'email' | 'phone' | 'chat'
  value: string
  user_id: string
  created_at: string
}
export interface SessionTable {
  id: string
  user_id: string
  csrf_token: string
  user_agent: string | null
  created_at: string
  last_seen_at: string
  expires_at: string
}
export interface ApiTokenTable {
  id: string
  user_id: string
  name: string
  token_hash: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
  /** Refused from this moment on; null: until revoked. */
  expires_at: string | null
}
export interface DepartmentTable {
  id: string
  name: string
  customer_reply_allowed: number
  created_at: string
  updated_at: string
  /** The business calendar of its groups' handoff clocks (a group may name its own); null: the default calendar. */
  calendar_id: ColumnType<string | null, string | null | undefined, string | null>
}
export interface AgentGroupTable {
  id: string
  name: string
  department_id: string
  line: number
  created_at: string
  updated_at: string
  /** Its own business calendar; null: its department's, else the default. */
  calendar_id: ColumnType<string | null, string | null | undefined, string | null>
  /** Handoff targets in business minutes: to pick up, and to return, an escalated ticket; null: none. */
  pickup_target_minutes: ColumnType<number | null, number | null | undefined, number | null>
  return_target_minutes: ColumnType<number | null, number | null | undefined, number | null>
  /** Assignment within the group: off, round_robin or fewest_open (src/server/desk/assignment.ts). */
  assignment: ColumnType<string, string | undefined, string>
  /** Round robin: the member who got the last ticket. */
  assignment_cursor: ColumnType<string | null, string | null | undefined, string | null>
  /** The signature of the group's replies, with placeholders (desk/signature.ts); '' none. */
  signature_template: ColumnType<string, string | undefined, string>
}
/** An agent's availability for assignment (beschikbaar / afwezig) and optional limit of open tickets; no row: available, no limit. */
export interface AgentAvailabilityTable { user_id: string; available: number; open_ticket_limit: number | null; updated_at: string }
/** A business-hour calendar (src/server/calendars): hours, holidays and closing_days are JSON. */
export interface BusinessCalendarTable {
  id: string
  name: string
  time_zone: string
  hours: string
  holidays: string
  closing_days: string
  is_default: number
  created_at: string
  updated_at: string
}
export interface GroupMemberTable { group_id: string; user_id: string }
/** An overview an administrator defines beside the built-in queues (src/server/queues); filters, columns, roles and group_ids are JSON. */
export interface QueueOverviewTable {
  id: string
  name: string
  filters: string
  columns: string
  sort: string
  roles: string
  group_ids: string
  position: number
  created_at: string
  updated_at: string
}
export interface TicketCounterTable { year: number; value: number }
export interface TicketTable {
  id: string
  number: string
  subject: string
  status: string
  priority: string
  type: string
  channel: string
  requester_id: string
  organisation_id: string | null
  department_id: string | null
  group_id: string | null
  assignee_id: string | null
  created_at: string
  updated_at: string
  first_response_at: string | null
  resolved_at: string | null
  closed_at: string | null
  version: number
  /** The desk agent who keeps the customer contact while a back office works on the ticket. */
  coordinator_id: string | null
  /** Set once the ticket was merged into another (merge-ticket.ts): it is closed and takes no new articles. */
  merged_into_id: string | null
  /** Set when resolved or closed: 1 resolved without an escalation, 0 after one; null while not resolved. */
  first_line_resolution: number | null
  /** Waiting on a third party (wait-on-third-party.ts): back on the group's queue once this moment has passed. */
  third_party_until: string | null
  /** Who the ticket waits on (a supplier) and their reference number for it. */
  third_party_supplier: string | null
  third_party_reference: string | null
  /** Set when the wait ran out and the ticket came back on its queue: the marker shown until an agent moves it on. */
  third_party_back_at: string | null
}
/** Related tickets, one row per direction (link-tickets.ts). */
export interface TicketLinkTable { ticket_id: string; linked_ticket_id: string; created_by: string | null; created_at: string }
/** A further requester of a ticket, brought by a merge of their ticket into it. */
export interface TicketRequesterTable { ticket_id: string; user_id: string; via_ticket_id: string | null; added_at: string }
export interface ArticleTable {
  id: string
  ticket_id: string
  channel: string
  direction: string
  visibility: string
  author_id: string | null
  body: string
  content_type: string
  source_id: string | null
  metadata: string
  created_at: string
}
export interface AttachmentTable {
  id: string
  ticket_id: string
  article_id: string | null
  filename: string
  content_type: string
  size: number
  sha256: string
  content_id: string | null
  uploaded_by: string | null
  created_at: string
}
export interface TicketTagTable { ticket_id: string; tag: string }
export interface TicketHistoryTable {
  id: string
  ticket_id: string
  actor_id: string | null
  field: string
  old_value: string | null
  new_value: string | null
  created_at: string
}
export interface JobTable {
  id: string
  queue: string
  payload: string
  status: string
  attempts: number
  max_attempts: number
  run_at: string
  locked_by: string | null
  locked_until: string | null
  last_error: string | null
  dedupe_key: string | null
  created_at: string
  updated_at: string
}
/** Domain events waiting for their handlers (src/server/outbox); a row goes once they have run. */
export interface OutboxTable {
  id: string
  type: string
  /** The DomainEvent as JSON. */
  payload: string
  /** 'pending', or 'failed' when its handlers failed too often. */
  status: string
  attempts: number
  available_at: string
  last_error: string | null
  created_at: string
}
/** Outgoing webhooks (src/server/webhooks). The secret is AES-256-GCM with LOKET_SECRET; event_types a JSON array. */
export interface WebhookTable {
  id: string
  url: string
  description: string
  event_types: string
  secret: string
  active: number
  failures_in_a_row: number
  disabled_reason: string | null
  disabled_at: string | null
  created_at: string
  updated_at: string
}
/** One try of one event to one webhook. */
export interface WebhookDeliveryTable {
  id: string
  webhook_id: string
  event_id: string
  event_type: string
  attempt: number
  ok: number
  status_code: number | null
  error: string | null
  duration_ms: number
  next_try_at: string | null
  created_at: string
}
/** The e-mail channel's mailboxes (src/server/channels/email). Passwords are AES-256-GCM with LOKET_SECRET. */
export interface MailboxTable {
  id: string
  name: string
  address: string
  sender_name: string
  active: number
  imap_host: string
  imap_port: number
  imap_tls: string
  imap_user: string
  imap_password: string
  imap_folder: string
  imap_processed_folder: string | null
  smtp_host: string
  smtp_port: number
  smtp_tls: string
  smtp_user: string | null
  smtp_password: string | null
  tls_verify: number
  signature: string
  group_id: string | null
  ack_enabled: number
  ack_templates: string
  block_list: string
  poll_seconds: number
  state: string
  uses_idle: number | null
  last_fetch_at: string | null
  last_success_at: string | null
  last_error: string | null
  last_error_at: string | null
  fetched_count: number
  /** What became of the fetched messages (fetched_count is their sum). */
  filed_count: number
  duplicate_count: number
  headers_only_count: number
  refused_count: number
  machine_count: number
  /** Replies go out with a VERP return path (bounce+<token>@<mailbox domain>). */
  verp: number
  /** The mailbox replies go out from when the ticket's department has none (at most one). */
  default_sender: number
  lease_owner: string | null
  lease_until: string | null
  created_at: string
  updated_at: string
}
/** A fetched message that became no article of its own: machine mail, refused, or a duplicate (issue 14). */
export interface MailboxMessageTable {
  id: string
  mailbox_id: string
  outcome: string
  kind: string | null
  reason: string
  message_id: string | null
  content_key: string
  from_address: string | null
  subject: string
  article_id: string | null
  ticket_id: string | null
  raw_sha256: string | null
  size: number
  received_at: string
}
/** A mailbox's OAuth 2.0 sign-in (src/server/channels/email/oauth); secrets and tokens AES-256-GCM with LOKET_SECRET. */
export interface MailboxOAuthTable {
  mailbox_id: string
  provider: string
  tenant: string | null
  client_id: string
  client_secret: string | null
  authorize_url: string | null
  token_url: string | null
  scopes: string | null
  refresh_token: string | null
  access_token: string | null
  access_expires_at: string | null
  state: string
  last_error: string | null
  connected_at: string | null
  pending_state: string | null
  pending_verifier: string | null
  pending_until: string | null
  updated_at: string
}
export interface MailboxAutoReplyTable { id: string; mailbox_id: string; address: string; sent_at: string }
/** One entry of the append-only audit log (src/server/audit); details is JSON, never secrets. */
export interface AuditLogTable {
  id: string
  at: string
  actor_id: string | null
  action: string
  subject_user_id: string | null
  ip: string | null
  details: string
}
/** A one-time link sent by mail: a password reset or the confirmation of a new e-mail address. */
export interface AccountLinkTable {
  id: string
  user_id: string
  purpose: string
  new_email: string | null
  created_at: string
  expires_at: string
  used_at: string | null
}
/** Failed sign-ins per account, and per account and address: the back-off of login throttling. */
export interface SignInFailureTable { key: string; failures: number; last_failure_at: string; blocked_until: string }
/** A reply draft of one user on one ticket (src/server/drafts). */
export interface TicketDraftTable {
  ticket_id: string
  user_id: string
  body: string
  visibility: string
  status: string | null
  updated_at: string
  /** The back office's proposed reply (an internal article of the ticket) this draft was made from. */
  proposed_reply_id: ColumnType<string | null, string | null | undefined, string | null>
}
/** SQLite: FTS5 table (ticket_id, content). PostgreSQL: (id, ticket_id, tsv). Only db/dialect.ts touches it. */
export interface SearchEntryTable { id?: string; ticket_id: string; content?: string; tsv?: unknown }
/** A reusable answer (src/server/templates). `variants` is JSON: [{ language, channel, body }]. */
export interface TemplateTable {
  id: string
  title: string
  shortcut: string | null
  body: string
  language: string
  variants: string
  scope: string
  owner_id: string | null
  group_id: string | null
  department_id: string | null
  usage_count: number
  /** Folded title, shortcut and texts: what search-as-you-type looks in. */
  search_text: string
  created_by: string | null
  created_at: string
  updated_at: string
  version: number
}
/** A file a template carries (src/server/templates): attached to the reply when the template is used. Bytes in the blob store. */
export interface TemplateAttachmentTable {
  id: string
  template_id: string
  filename: string
  content_type: string
  size: number
  sha256: string
  uploaded_by: string | null
  created_at: string
}
/** The knowledge base (src/server/knowledge). */
export interface KbCategoryTable { id: string; name: string; department_id: string | null; created_at: string; updated_at: string }
export interface KbArticleTable {
  id: string
  slug: string
  title: string
  body: string
  language: string
  category_id: string | null
  visibility: string
  status: string
  owner_group_id: string | null
  review_at: string | null
  source_ticket_id: string | null
  created_by: string | null
  updated_by: string | null
  created_at: string
  updated_at: string
  version: number
  /** The review date the owner group was last told about (once per article and review date). */
  review_notified_for?: string | null
}
export interface KbArticleVersionTable {
  article_id: string
  version: number
  title: string
  body: string
  language: string
  category_id: string | null
  visibility: string
  status: string
  owner_group_id: string | null
  review_at: string | null
  changed_by: string | null
  created_at: string
}
/** A template or article used on a ticket: one row per ticket. */
export interface KnowledgeUseTable { kind: string; ref_id: string; ticket_id: string; user_id: string | null; created_at: string }
/** SQLite: FTS5 table (kind, ref_id, title, content). PostgreSQL: (kind, ref_id, tsv). Only knowledge/knowledge-search.ts touches it. */
export interface KnowledgeSearchTable { kind: string; ref_id: string; title?: string; content?: string; tsv?: unknown }
/** In how many knowledge_search entries a term occurs (PostgreSQL: a lexeme; SQLite: an index token). */
export interface KnowledgeTermTable { term: string; docs: number }
/** SQLite: each knowledge_search entry's FTS5 rowid and its distinct terms, comma-separated. */
export interface KnowledgeEntryTable { kind: string; ref_id: string; fts_rowid: number; terms: string }

/** Single sign-on for staff (src/server/accounts/sso): one OpenID Connect provider. The client secret is AES-256-GCM with LOKET_SECRET. */
export interface SsoSettingsTable {
  id: string
  enabled: number
  name: string
  issuer_url: string
  client_id: string
  client_secret: string | null
  scopes: string
  claim: string
  email_claim: string
  mappings: string
  create_users: number
  local_passwords_for_staff: number
  updated_at: string
}
/** Which provider account (issuer + subject) signs in as which user. */
export interface UserSsoIdentityTable { issuer: string; subject: string; user_id: string; created_at: string; last_sign_in_at: string }

export interface PersonErasureTable { user_id: string; number: number; erased_by: string | null; erased_at: string; summary: string }
export interface AnonymisedTicketTable { ticket_id: string; reason: string; anonymised_at: string }
export interface RetentionRuleTable { department_id: string; months: number; updated_by: string | null; updated_at: string }

/** Routing rules (src/server/routing): conditions and actions are JSON objects, position orders them. */
/** Ticket fields an administrator adds (src/server/fields); options, required_statuses and department_ids are JSON. */
export interface TicketFieldTable {
  id: string
  key: string
  label_nl: string
  label_en: string
  type: string
  options: string
  required_statuses: string
  department_ids: string
  visibility: string
  customer_editable: number
  position: number
  active: number
  created_at: string
  updated_at: string
}
/** One value of a ticket field, in the column of its type. */
export interface TicketFieldValueTable {
  ticket_id: string
  field_id: string
  position: number
  value_text: string | null
  value_number: number | null
  value_date: string | null
  value_bool: number | null
  value_ref: string | null
}
export interface RoutingRuleTable {
  id: string
  name: string
  position: number
  enabled: number
  conditions: string
  actions: string
  created_at: string
  updated_at: string
}
/** The customer portal (src/server/portal): a question answered by a public knowledge article. */
export interface PortalDeflectionTable { id: string; user_id: string; article_slug: string; created_at: string }
/** The service catalogue (src/server/catalogue). `fields` and `steps` are JSON (shared/api/catalogue.ts). */
export interface CatalogCategoryTable { id: string; name: string; description: string; position: number; created_at: string }
export interface CatalogItemTable {
  id: string
  category_id: string
  title: string
  description: string
  group_id: string
  fields: string
  steps: string
  active: number
  position: number
  created_at: string
  updated_at: string
}
/** A ticket made from a catalogue item: the answers as given (JSON, label and value per field). */
export interface CatalogRequestTable { ticket_id: string; item_id: string; item_title: string; answers: string; created_at: string }
export interface CatalogRequestStepTable { ticket_id: string; position: number; title: string; done_at: string | null; done_by: string | null }
export interface CatalogMisfitTable { id: string; item_id: string; user_id: string; created_at: string }

/** One handoff of a ticket to a back office and back (src/server/tickets/escalate-ticket.ts). */
export interface EscalationTable {
  id: string
  ticket_id: string
  from_group_id: string | null
  group_id: string
  department_id: string | null
  coordinator_id: string | null
  escalated_by: string | null
  /** escalated → picked_up → returned → done (done_at set); a re-escalation ends the one before. */
  state: string
  handoff_note_id: string
  escalated_at: string
  picked_up_at: string | null
  picked_up_by: string | null
  returned_at: string | null
  returned_by: string | null
  return_note_id: string | null
  proposed_reply_id: string | null
  done_at: string | null
  /** The handoff clock (business time, the group's calendar): when it should be picked up and returned; null: no target. */
  pickup_due_at: ColumnType<string | null, string | null | undefined, string | null>
  return_due_at: ColumnType<string | null, string | null | undefined, string | null>
  /** The level told for each target (ticket-timers.ts): null, 'near' (the group heard) or 'overdue' (the team leads heard). */
  pickup_alert: ColumnType<string | null, string | null | undefined, string | null>
  return_alert: ColumnType<string | null, string | null | undefined, string | null>
}

/** What concerns one member of staff, made by an outbox reaction (notifications/). */
export interface NotificationTable {
  id: string
  user_id: string
  kind: string
  /** The outbox event's id and the kind: an event handled twice makes one notification. */
  source_key: string
  ticket_id: string | null
  ticket_number: string | null
  /** Not written (null): the subject is read from the ticket, so anonymising a ticket leaves no copy here. */
  ticket_subject: string | null
  actor_name: string | null
  group_name: string | null
  /** A notification about a knowledge article (review-due): the article and its title when told. */
  article_id?: string | null
  article_title?: string | null
  created_at: string
  read_at: string | null
  /** 1 while it waits for the user's next notification mail, else 0. */
  mail_pending: number
}
/** The organisation running Loket: its name and logo on the sign-in screen and in mails (one row, id 'default'). */
export interface BrandingTable {
  id: string
  name: string | null
  logo_type: string | null
  /** base64 */
  logo_data: string | null
  logo_hash: string | null
  updated_by: string | null
  updated_at: string
}

export interface NotificationSettingTable {
  user_id: string
  /** JSON array of the kinds that also come by mail. */
  mail_kinds: string
  updated_at: string
}
/** When a user last opened a ticket (queue rows with a newer customer message show as unread). */
export interface TicketSeenTable {
  user_id: string
  ticket_id: string
  seen_at: string
}

export interface DB {
  organisation: OrganisationTable
  organisation_domain: OrganisationDomainTable
  app_user: AppUserTable
  contact_identities: ContactIdentityTable
  session: SessionTable
  api_token: ApiTokenTable
  department: DepartmentTable
  agent_group: AgentGroupTable
  group_member: GroupMemberTable
  ticket_counter: TicketCounterTable
  queue_overview: QueueOverviewTable
  ticket: TicketTable
  article: ArticleTable
  attachment: AttachmentTable
  ticket_tag: TicketTagTable
  ticket_link: TicketLinkTable
  ticket_co_requester: TicketRequesterTable
  ticket_history: TicketHistoryTable
  job: JobTable
  outbox: OutboxTable
  webhook: WebhookTable
  webhook_delivery: WebhookDeliveryTable
  search_entry: SearchEntryTable
  ticket_draft: TicketDraftTable
  mailbox: MailboxTable
  mailbox_oauth: MailboxOAuthTable
  mailbox_auto_reply: MailboxAutoReplyTable
  mailbox_message: MailboxMessageTable
  template: TemplateTable
  template_attachment: TemplateAttachmentTable
  kb_category: KbCategoryTable
  kb_article: KbArticleTable
  kb_article_version: KbArticleVersionTable
  knowledge_use: KnowledgeUseTable
  knowledge_search: KnowledgeSearchTable
  knowledge_term: KnowledgeTermTable
  knowledge_entry: KnowledgeEntryTable
  sso_settings: SsoSettingsTable
  user_sso_identity: UserSsoIdentityTable
  audit_log: AuditLogTable
  routing_rule: RoutingRuleTable
  ticket_field: TicketFieldTable
  ticket_field_value: TicketFieldValueTable
  account_link: AccountLinkTable
  sign_in_failure: SignInFailureTable
  person_erasure: PersonErasureTable
  anonymised_ticket: AnonymisedTicketTable
  retention_rule: RetentionRuleTable
  portal_deflection: PortalDeflectionTable
  banner: BannerTable
  catalog_category: CatalogCategoryTable
  catalog_item: CatalogItemTable
  catalog_request: CatalogRequestTable
  catalog_request_step: CatalogRequestStepTable
  catalog_misfit: CatalogMisfitTable
  escalation: EscalationTable
  notification: NotificationTable
  notification_setting: NotificationSettingTable
  branding: BrandingTable
  ticket_seen: TicketSeenTable
  business_calendar: BusinessCalendarTable
  agent_availability: AgentAvailabilityTable
}

/** A database handle or an open transaction: every repository function takes one of these first. */
export type Executor = Kysely<DB> | Transaction<DB>

export type TicketRow = Selectable<TicketTable>
export type TicketUpdate = Updateable<TicketTable>
export type ArticleRow = Selectable<ArticleTable>
export type EscalationRow = Selectable<EscalationTable>
export type AppUserRow = Selectable<AppUserTable>
export type JobRow = Selectable<JobTable>
export type OutboxRow = Selectable<OutboxTable>
export type WebhookRow = Selectable<WebhookTable>
export type WebhookDeliveryRow = Selectable<WebhookDeliveryTable>
export type MailboxRow = Selectable<MailboxTable>
export type AuditLogRow = Selectable<AuditLogTable>

/** A banner on every portal page: an announcement or a known outage, between two moments. */
export interface BannerTable {
  id: string
  kind: string
  text_nl: string
  text_en: string
  starts_at: string
  ends_at: string | null
  created_by: string | null
  created_at: string
  updated_at: string
}
