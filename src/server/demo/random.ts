/** mulberry32: a tiny, fast 32-bit PRNG. Same seed, same sequence, on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The handful of random choices the demo seed needs, on top of one seeded stream. */
export class Rng {
  private readonly next: () => number
  constructor(seed: number) {
    this.next = mulberry32(seed)
  }
  /** A float in [0, 1). */
  float() {
    return this.next()
  }
  /** An integer in [min, max], both included. */
  int(min: number, max: number) {
    return min + Math.floor(this.next() * (max - min + 1))
  }
  chance(p: number) {
    return this.next() < p
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]
  }
  /** Picks a key of a weight table ({ email: 3, phone: 1 }); keys are taken in their written order. */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K {
    const entries = Object.entries(weights) as [K, number][]
    const total = entries.reduce((sum, [, w]) => sum + w, 0)
    let x = this.next() * total
    for (const [key, w] of entries) {
      if ((x -= w) < 0) return key
    }
    return entries[entries.length - 1][0]
  }
  /** An index in [0, n) that favours the start of the list: a few people ask a lot, most ask now and then. */
  skewedIndex(n: number) {
    return Math.min(n - 1, Math.floor(this.next() ** 1.3 * n))
  }
}
