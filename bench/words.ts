/**
 * Deterministic text for the benchmark data: Dutch-ish service-desk sentences with a long tail of
 * rare words, so full-text search has common terms (in many articles) and selective ones (in a few).
 * Everything is plain lower-case ASCII words, so folding (accents, case) never changes a word and the
 * search index of a text is the concatenation of its words' index forms.
 */

/** A small fast seeded PRNG (mulberry32). */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)],
    /** Index in [0, n) with a Zipf-like skew: low indexes are much more likely. */
    skewed: (n: number, power = 2) => Math.floor(Math.pow(next(), power) * n),
  }
}
export type Rng = ReturnType<typeof rng>

/** The common vocabulary of a Dutch service desk (most frequent first). */
export const COMMON_WORDS = (
  'ik de het een is niet en van dat op met voor heb kan wil graag werkt melding probleem vraag ' +
  'goedemorgen beste groet bedankt alvast hallo collega sinds vandaag gisteren weer nog steeds ' +
  'wachtwoord inloggen account laptop printer scherm teams outlook mail vpn wifi netwerk telefoon ' +
  'toegang rechten map bestand document salaris declaratie verlof rooster factuur betaling ' +
  'bureau stoel sleutel pas parkeren vergaderruimte koffieautomaat verwarming lamp lekkage ' +
  'storing traag foutmelding opnieuw opgestart geprobeerd helaas lukt kunnen jullie helpen ' +
  'aanvraag nieuwe medewerker start maandag installeren software licentie update herstart ' +
  'afdeling team manager contract adres wijziging formulier bijlage screenshot zie onder ' +
  'spoed dringend morgen deadline klant afspraak locatie gebouw verdieping kamer ' +
  'opgelost dank fijn weekend antwoord reactie wachten leverancier monteur planning ' +
  'portaal website browser chrome edge firefox cache cookies certificaat beveiliging phishing ' +
  'verdacht bericht link geklikt virus scan back-up herstel verwijderd per ongeluk ' +
  'headset muis toetsenbord docking station kabel oplader accu batterij garantie defect ' +
  'inkoop bestelling offerte budget kostenplaats goedkeuring budgethouder handtekening ' +
  'loonstrook belasting pensioen ziekmelding beter melding thuiswerken reiskosten vergoeding'
).split(/[\s-]+/)

const ONSETS = ['b', 'br', 'd', 'dr', 'f', 'g', 'gr', 'h', 'k', 'kl', 'kr', 'l', 'm', 'n', 'p', 'pl', 'r', 's', 'sch', 'sl', 'sp', 'st', 't', 'tr', 'v', 'w', 'z', 'zw']
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'aa', 'ee', 'oo', 'ie', 'oe', 'ij', 'ui', 'eu', 'ou']
const CODAS = ['', 'n', 'r', 'l', 'k', 't', 'p', 's', 'ng', 'nd', 'rt', 'lt', 'ks', 'cht']

/** `n` distinct made-up Dutch-sounding words (the long tail: product names, places, surnames, codes). */
export function rareWords(n: number, seed = 7): string[] {
  const r = rng(seed)
  const seen = new Set<string>(COMMON_WORDS)
  const out: string[] = []
  while (out.length < n) {
    const syllables = 2 + r.int(2)
    let w = ''
    for (let s = 0; s < syllables; s++) w += r.pick(ONSETS) + r.pick(VOWELS) + r.pick(CODAS)
    if (!seen.has(w)) {
      seen.add(w)
      out.push(w)
    }
  }
  return out
}

const SUBJECT_HEADS = [
  'wachtwoord verlopen', 'printer werkt niet', 'geen toegang tot map', 'laptop traag', 'vraag over salaris',
  'declaratie reiskosten', 'nieuwe medewerker', 'vpn storing', 'outlook foutmelding', 'verlof aanvraag',
  'lekkage verdieping', 'verwarming defect', 'factuur betaling', 'teams headset', 'account geblokkeerd',
  'phishing bericht', 'bestand verwijderd per ongeluk', 'licentie software', 'parkeren pas', 'scherm defect',
  'wifi netwerk traag', 'bestelling offerte', 'ziekmelding', 'thuiswerken vergoeding', 'certificaat verlopen',
]

export interface TextGen {
  subject(r: Rng): string
  /** An article body: a few sentences, 20–45 words, one or two rare words among them. */
  body(r: Rng): string
}

export function textGenerator(rare: readonly string[]): TextGen {
  const sentence = (r: Rng, words: number, rareChance: number) => {
    const ws: string[] = []
    for (let i = 0; i < words; i++) ws.push(r.next() < rareChance ? rare[r.skewed(rare.length, 1.6)] : COMMON_WORDS[r.skewed(COMMON_WORDS.length, 1.7)])
    ws[0] = ws[0][0].toUpperCase() + ws[0].slice(1)
    return ws.join(' ') + '.'
  }
  return {
    subject: (r) => {
      const head = r.pick(SUBJECT_HEADS)
      return r.next() < 0.5 ? `${head[0].toUpperCase()}${head.slice(1)} ${rare[r.skewed(rare.length, 1.6)]}` : head[0].toUpperCase() + head.slice(1)
    },
    body: (r) => {
      const sentences = 2 + r.int(3)
      const parts: string[] = []
      for (let s = 0; s < sentences; s++) parts.push(sentence(r, 6 + r.int(10), 0.05))
      return parts.join(' ')
    },
  }
}

/** Frequent, middling and selective search terms over the generated text, for the search benchmark. */
export function searchQueries(rare: readonly string[]): { common: string[]; selective: string[] } {
  return {
    // Words near the top of COMMON_WORDS, singly and in pairs (every word must match).
    common: ['printer', 'wachtwoord', 'laptop', 'inloggen scherm', 'vraag', 'probleem printer', 'account', 'graag melding'],
    // Words from the rare tail: each is in a few hundred to a few thousand articles at 5M.
    selective: [rare[400], rare[1200], rare[2500], rare[5000], rare[9000], `${rare[300]} printer`, rare[15000], rare[700]],
  }
}
