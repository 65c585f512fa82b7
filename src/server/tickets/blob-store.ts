import { createReadStream } from 'node:fs'
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { sha256 } from '../accounts/secrets.js'

/** Where attachment bytes live. Content-addressed, so the same file sent twice is stored once. */
export interface BlobStore {
  put(content: Buffer): Promise<string>
  open(hash: string): Readable
  has(hash: string): Promise<boolean>
  /** Removes a file (an erasure); only once no attachment holds it any more. */
  delete(hash: string): Promise<void>
}

export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private pathOf(hash: string) {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('not a sha-256 hash')
    return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash)
  }

  async put(content: Buffer) {
    const hash = sha256(content)
    const path = this.pathOf(hash)
    if (await this.has(hash)) return hash
    // Only Loket's own user reads attachments: folders 0700, files 0600.
    await mkdir(join(path, '..'), { recursive: true, mode: 0o700 })
    // Write then rename: a crash never leaves a half file under the final name.
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`
    await writeFile(temp, content, { mode: 0o600 })
    await rename(temp, path)
    return hash
  }

  open(hash: string) {
    return createReadStream(this.pathOf(hash))
  }

  async delete(hash: string) {
    await rm(this.pathOf(hash), { force: true })
  }

  async has(hash: string) {
    try {
      await access(this.pathOf(hash))
      return true
    } catch {
      return false
    }
  }
}
