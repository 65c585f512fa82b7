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
export const newId: IdGenerator = () => uuidv7()
