import type { MailFilter } from './pipeline.js'
import { header } from './pipeline.js'

/** Subjects of out-of-office answers in Dutch, English, German and French, as Outlook, Gmail and others write them. */
const OUT_OF_OFFICE = new RegExp(
  '^(' +
    [
      'out of (the )?office',
      'automatic reply',
      'auto(matic)?[ -]?(reply|response)',
      'automatisch antwoord',
      'automatisch(e)? (beantwoord|reactie)',
      'afwezig',
      'niet aanwezig',
      'vakantie',
      'abwesenheit',
      'abwesend',
      'automatische antwort',
      'r[ée]ponse automatique',
      'absence',
      'autoreply',
      'vacation',
    ].join('|') +
    ')\\b',
  'i',
)

/**
 * Out-of-office replies: kept on the ticket as such, without reopening it and without an answer.
 * Recognised by Exchange's X-MS-Exchange-Inbox-Rules / Auto-Submitted (earlier filters) or by subject.
 */
export const outOfOfficeFilter: MailFilter = {
  name: 'out-of-office',
  apply(ctx, verdict) {
    if (verdict.kind) return
    const oof = OUT_OF_OFFICE.test(ctx.mail.subject) || header(ctx, 'x-ms-exchange-generated-message-source') !== undefined
    if (!oof) return
    verdict.kind = 'auto-reply'
    verdict.reopens = false
    verdict.noAutoReply.push('out-of-office reply')
  },
}
