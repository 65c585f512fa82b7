import type { Executor } from '../db/schema.js'
import type { DomainEvent } from '../events.js'
import { sessionRepository, tokenRepository } from './account.repository.js'

/**
 * Anonymises an account in place (for privacy/: a person's erasure): a new name and an address that
 * reaches no one, no phone number, no password, disabled; its sessions, tokens, sign-in links and
 * single sign-on identities go. The row stays, so tickets keep their requester and statistics their counts.
 * Returns the access-changed events to publish once committed (open streams close, every process forgets its tokens).
 */
export async function anonymiseAccount(
  trx: Executor,
  userId: string,
  replacement: { name: string; email: string; at: string },
): Promise<Extract<DomainEvent, { type: 'account.access-changed' }>[]> {
  const before = await trx.selectFrom('app_user').select('email').where('id', '=', userId).executeTakeFirstOrThrow()
  await trx
    .updateTable('app_user')
    .set({ name: replacement.name, email: replacement.email, phone: null, phone_e164: null, password_hash: null, active: 0, updated_at: replacement.at })
    .where('id', '=', userId)
    .execute()
  const sessions = await sessionRepository.deleteForUserReturningIds(trx, userId)
  const tokens = await tokenRepository.revokeAllForUser(trx, userId, replacement.at)
  await trx.deleteFrom('api_token').where('user_id', '=', userId).execute()
  await trx.deleteFrom('account_link').where('user_id', '=', userId).execute()
  await trx.deleteFrom('user_sso_identity').where('user_id', '=', userId).execute()
  await trx.deleteFrom('contact_identities').where('user_id', '=', userId).execute()
  await trx.deleteFrom('group_member').where('user_id', '=', userId).execute()
  // Sign-in throttling remembers the address it was tried with.
  if (before.email) await trx.deleteFrom('sign_in_failure').where('key', 'like', `%${before.email}%`).execute()
  return [
    ...sessions.map((sessionId) => ({ type: 'account.access-changed' as const, userId, sessionId })),
    ...tokens.map((tokenId) => ({ type: 'account.access-changed' as const, userId, tokenId })),
    { type: 'account.access-changed' as const, userId },
  ]
}
