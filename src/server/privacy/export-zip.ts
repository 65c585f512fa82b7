import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import { strToU8, Zip, ZipDeflate, ZipPassThrough } from 'fflate'

/**
 * A ZIP archive written as a stream (fflate): JSON files compressed, original files stored as they are
 * (most are compressed already). Reading a file waits while the client is slower than the disk, so an
 * export of many attachments never sits in memory whole.
 */
export class ZipStream {
  readonly stream = new PassThrough()
  private readonly zip = new Zip((err, chunk, final) => {
    if (err) return void this.stream.destroy(err)
    this.stream.write(chunk)
    if (final) this.stream.end()
  })

  json(name: string, value: unknown) {
    const file = new ZipDeflate(name, { level: 6 })
    this.zip.add(file)
    file.push(strToU8(JSON.stringify(value, null, 2)), true)
  }

  async file(name: string, content: AsyncIterable<Uint8Array>) {
    const file = new ZipPassThrough(name)
    this.zip.add(file)
    for await (const chunk of content) {
      file.push(chunk)
      if (this.stream.writableNeedDrain) await once(this.stream, 'drain')
    }
    file.push(new Uint8Array(0), true)
  }

  end() {
    this.zip.end()
  }
}
