import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/** argon2id with the library's defaults (19 MiB, t=2), the OWASP-recommended floor. */
export const hashPassword = (password: string) => hash(password, { algorithm: 2 /* Argon2id */ })
export const verifyPassword = async (stored: string, password: string) => {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

/** Session cookies and API tokens are random; only their SHA-256 is stored, so a leaked table grants nothing. */
export const newSecretToken = (prefix = '') => prefix + randomBytes(32).toString('base64url')
export const sha256 = (value: string | Buffer) => createHash('sha256').update(value).digest('hex')

/** AES-256-GCM for credentials kept at rest (mailbox passwords); the key is LOKET_SECRET. */
export function encryptSecret(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(':')
}
export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, data] = stored.split(':')
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unknown secret format')
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'))
  decipher.setAuthTag(Buffer.from(tag, 'base64'))
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8')
}
