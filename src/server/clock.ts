import { randomFillSync } from 'node:crypto'
import { v7 as uuidv7 } from 'uuid'

/** Time and identity come from here so tests and the demo seed can make them deterministic. */
export interface Clock {
  now(): Date
  iso(): string
}
export const systemClock: Clock = {
  now: () => new Date(),
  iso: () => new Date().toISOString(),
}
export type IdGenerator = () => string
/** UUIDv7: time-ordered, so primary-key indexes stay append-mostly on both databases. */
export const newId: IdGenerator = () => {
  const random = randomBytes16()
  // uuid keeps ids of one millisecond in order only when it draws the random bytes itself; with our
  // own bytes the sequence is kept here, the same way (a random start, then +1 within the millisecond).
  const now = Date.now()
  if (now > sequence.msecs) {
    sequence.msecs = now
    sequence.seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9]
  } else if ((sequence.seq = (sequence.seq + 1) | 0) === 0) {
    sequence.msecs++
  }
  return uuidv7({ random, msecs: sequence.msecs, seq: sequence.seq })
}
const sequence = { msecs: -Infinity, seq: 0 }

// Random bytes drawn 4 KB at a time: one call into the system's generator per 256 ids, not one per id.
const pool = Buffer.alloc(4096)
let offset = pool.length
function randomBytes16(): Uint8Array {
  if (offset === pool.length) {
    randomFillSync(pool)
    offset = 0
  }
  offset += 16
  return pool.subarray(offset - 16, offset)
}
