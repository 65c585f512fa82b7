import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely'

/** Table types, as stored. Timestamps are ISO-8601 UTC text; booleans are 0/1. */
export interface OrganisationTable { id: string; name: string; created_at: string; updated_at: string }
export interface OrganisationDomainTable { domain: string; organisation_id: string }
export interface AppUserTable {
  id: string
  email: string
  name: string
  role: string
  password_hash: string | null
  organisation_id: string | null
  language: string
  phone: string | null
  active: number
  created_at: string
  updated_at: string
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
}
export interface DepartmentTable { id: string; name: string; customer_reply_allowed: number; created_at: string; updated_at: string }
export interface AgentGroupTable { id: string; name: string; department_id: string; line: number; created_at: string; updated_at: string }
export interface GroupMemberTable { group_id: string; user_id: string }
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
}
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
  lease_owner: string | null
  lease_until: string | null
  created_at: string
  updated_at: string
}
export interface MailboxAutoReplyTable { id: string; mailbox_id: string; address: string; sent_at: string }
/** A reply draft of one user on one ticket (src/server/drafts). */
export interface TicketDraftTable { ticket_id: string; user_id: string; body: string; visibility: string; status: string | null; updated_at: string }
/** SQLite: FTS5 table (ticket_id, content). PostgreSQL: (id, ticket_id, tsv). Only db/dialect.ts touches it. */
export interface SearchEntryTable { id?: string; ticket_id: string; content?: string; tsv?: unknown }

export interface DB {
  organisation: OrganisationTable
  organisation_domain: OrganisationDomainTable
  app_user: AppUserTable
  session: SessionTable
  api_token: ApiTokenTable
  department: DepartmentTable
  agent_group: AgentGroupTable
  group_member: GroupMemberTable
  ticket_counter: TicketCounterTable
  ticket: TicketTable
  article: ArticleTable
  attachment: AttachmentTable
  ticket_tag: TicketTagTable
  ticket_history: TicketHistoryTable
  job: JobTable
  search_entry: SearchEntryTable
  ticket_draft: TicketDraftTable
  mailbox: MailboxTable
  mailbox_auto_reply: MailboxAutoReplyTable
}

/** A database handle or an open transaction: every repository function takes one of these first. */
export type Executor = Kysely<DB> | Transaction<DB>

export type TicketRow = Selectable<TicketTable>
export type TicketUpdate = Updateable<TicketTable>
export type ArticleRow = Selectable<ArticleTable>
export type AppUserRow = Selectable<AppUserTable>
export type JobRow = Selectable<JobTable>
export type MailboxRow = Selectable<MailboxTable>
