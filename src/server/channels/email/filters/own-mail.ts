import type { MailFilter } from './pipeline.js'
import { header, senderOf } from './pipeline.js'

/** Header Loket puts on every message it sends. */
export const LOKET_HEADER = 'x-loket'

/** Our Message-IDs: `<loket.{kind}.{id}@{mailbox domain}>`. */
export const isLoketMessageId = (id: string | undefined) => !!id && /^<loket\.[^@>]+@[^>]+>$/i.test(id)

/** Mail Loket sent itself (a reply that came back, a mailbox that writes to itself) never becomes a ticket: the loop guard. */
export const ownMailFilter: MailFilter = {
  name: 'own-mail',
  apply(ctx, verdict) {
    if (header(ctx, LOKET_HEADER) !== undefined) verdict.drop = 'sent by Loket (X-Loket header)'
    else if (isLoketMessageId(ctx.mail.messageId)) verdict.drop = 'sent by Loket (Message-ID)'
    else if (senderOf(ctx) === ctx.mailbox.address.toLowerCase()) verdict.drop = `sent from the mailbox's own address ${ctx.mailbox.address}`
  },
}
