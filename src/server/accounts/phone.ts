import { parsePhoneNumber } from 'awesome-phonenumber'

/**
 * A phone number in E.164 (+31612345678), read as a Dutch caller writes it when it has no country code:
 * 06-12345678, 06 1234 5678, (020) 123 45 67, +31 6 1234 5678, 0031 6 12345678. Undefined when the text is
 * not a possible number. The number a person is found by, whatever notation was typed.
 */
export function toE164(text: string | null | undefined): string | undefined {
  if (!text || !/\d/.test(text)) return undefined
  const parsed = parsePhoneNumber(text.trim(), { regionCode: 'NL' })
  return parsed.possible ? parsed.number?.e164 : undefined
}
