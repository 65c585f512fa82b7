import type { Migration, MigrationProvider } from 'kysely'
import * as core from './2026-11-23T00-00-core.js'
import * as drafts from './2026-11-23T01-00-drafts.js'
import * as mailboxes from './2026-11-23T02-00-mailboxes.js'
import * as perf from './2026-11-23T03-00-perf.js'
import * as escalations from './2026-12-02T00-00-escalations.js'
import * as knowledge from './2026-12-07T03-00-knowledge.js'
import * as sso from './2026-12-07T03-30-sso.js'
import * as outbox from './2026-12-07T03-40-outbox.js'
import * as accounts from './2026-12-07T03-50-accounts.js'
import * as webhooks from './2026-12-07T03-55-webhooks.js'
import * as mailin from './2026-12-07T04-00-mailin.js'
import * as privacy from './2026-12-07T04-10-privacy.js'
import * as mailoauth from './2026-12-07T04-30-mailoauth.js'
import * as search from './2026-12-07T06-00-search.js'
import * as routing from './2026-12-07T06-30-routing.js'
import * as portal from './2026-12-07T06-40-portal.js'
import * as queues from './2026-12-07T06-50-queues.js'
import * as handoffs from './2026-12-07T07-00-handoffs.js'
import * as merge from './2026-12-07T13-01-1-merge.js'
import * as firstLine from './2026-12-07T13-01-3-first-line.js'
import * as escalationFillfactor from './2026-12-07T15-30-escalation-fillfactor.js'
import * as knowledgeGin from './2026-12-07T15-31-knowledge-gin.js'
import * as portalLists from './2026-12-07T19-00-portal-lists.js'
import * as organisationDetails from './2026-12-07T19-01-organisation-details.js'
import * as thirdParty from './2026-12-07T19-10-third-party.js'
import * as handoffAlerts from './2026-12-07T19-11-handoff-alerts.js'
import * as draftProposal from './2026-12-07T19-12-draft-proposal.js'
import * as signatures from './2026-12-07T19-30-signatures.js'
import * as contactIdentities from './2026-12-07T22-20-contact-identities.js'
import * as branding from './2026-12-07T15-20-branding.js'
import * as notificationRetention from './2026-12-07T15-10-notification-retention.js'
import * as notifications from './2026-12-07T13-03-notifications.js'
import * as ticketFields from './2026-12-07T13-04-ticket-fields.js'
import * as portalAccess from './2026-12-07T13-05-portal-access.js'
import * as knowledgeTerms from './2026-12-07T13-06-knowledge-terms.js'
import * as mailsend from './2026-12-07T13-07-mailsend.js'
import * as handoffTimes from './2026-12-07T14-02-handoff-times.js'
import * as templateAttachments from './2026-12-07T15-21-template-attachments.js'
import * as knowledgeReviews from './2026-12-07T15-22-knowledge-reviews.js'

/** Static list, so the compiled server needs no folder scanning. Names sort by their ISO date. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T00-00-core': core,
  '2026-11-23T01-00-drafts': drafts,
  '2026-11-23T02-00-mailboxes': mailboxes,
  '2026-11-23T03-00-perf': perf,
  '2026-12-02T00-00-escalations': escalations,
  '2026-12-07T03-00-knowledge': knowledge,
  '2026-12-07T03-30-sso': sso,
  '2026-12-07T03-40-outbox': outbox,
  '2026-12-07T03-50-accounts': accounts,
  '2026-12-07T03-55-webhooks': webhooks,
  '2026-12-07T04-00-mailin': mailin,
  '2026-12-07T04-10-privacy': privacy,
  '2026-12-07T04-30-mailoauth': mailoauth,
  '2026-12-07T06-00-search': search,
  '2026-12-07T06-30-routing': routing,
  '2026-12-07T06-40-portal': portal,
  '2026-12-07T06-50-queues': queues,
  '2026-12-07T07-00-handoffs': handoffs,
  '2026-12-07T13-01-1-merge': merge,
  '2026-12-07T13-01-3-first-line': firstLine,
  '2026-12-07T13-03-notifications': notifications,
  '2026-12-07T13-04-ticket-fields': ticketFields,
  '2026-12-07T13-05-portal-access': portalAccess,
  '2026-12-07T13-06-knowledge-terms': knowledgeTerms,
  '2026-12-07T13-07-mailsend': mailsend,
  '2026-12-07T14-02-handoff-times': handoffTimes,
  '2026-12-07T15-10-notification-retention': notificationRetention,
  '2026-12-07T15-20-branding': branding,
  '2026-12-07T15-21-template-attachments': templateAttachments,
  '2026-12-07T15-22-knowledge-reviews': knowledgeReviews,
  '2026-12-07T15-30-escalation-fillfactor': escalationFillfactor,
  '2026-12-07T15-31-knowledge-gin': knowledgeGin,
  '2026-12-07T19-00-portal-lists': portalLists,
  '2026-12-07T19-01-organisation-details': organisationDetails,
  '2026-12-07T19-10-third-party': thirdParty,
  '2026-12-07T19-11-handoff-alerts': handoffAlerts,
  '2026-12-07T19-12-draft-proposal': draftProposal,
  '2026-12-07T19-30-signatures': signatures,
  '2026-12-07T22-20-contact-identities': contactIdentities,
}
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations }
