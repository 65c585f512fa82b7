import { normaliseEmail } from './account.mappers.js'
import { toE164 } from './phone.js'

/** The kinds of identifier a person is known by: an e-mail address, a phone number, a chat visitor id. */
export type IdentityKind = 'email' | 'phone' | 'chat'

/**
 * An identifier as it is stored and compared: an e-mail address lower-cased, a phone number in E.164 (in any
 * notation a Dutch caller writes it), a chat visitor id as the widget gave it. Undefined when it is not one.
 */
export function normaliseIdentity(kind: IdentityKind, text: string): string | undefined {
  const value = text.trim()
  if (kind === 'email') {
    const email = normaliseEmail(value)
    return email.length <= 254 && /^[^\s@]+@[^\s@]+$/.test(email) ? email : undefined
  }
  if (kind === 'phone') return toE164(value)
  return value.length > 0 && value.length <= 200 ? value : undefined
}
