import { describe, expect, it } from 'vitest'
import pg from 'pg'
import { POSTGRES_SEARCH_VECTOR } from './dialect.js'
import { distinctParts, expandForIndex, foldText, fts5Query, indexableText, indexTokens, matchingGroups, MAX_INDEXED_TEXT, MAX_STEMMED_WORD, queryTerms, stemVariants } from './text-search.js'
import { runTextJob, STEM_ON_THE_SPOT } from './text-worker.js'

describe('text search normalisation', () => {
  it('folds accents and case', () => {
    expect(foldText('Één Café in Zürich')).toBe('een cafe in zurich')
  })
  it('indexes each word with its Dutch and English stems', () => {
    expect(stemVariants('storingen')).toContain('storing')
    expect(stemVariants('printers')).toContain('printer')
    expect(expandForIndex('Storingen!')).toContain('storing')
  })
  it('builds an FTS5 query of quoted terms that user input cannot break out of', () => {
    expect(fts5Query('"; DROP * NEAR(')).toBe('("drop") AND ("near")')
    expect(fts5Query('koffie automaat')).toMatch(/^\(.*"koffie".*\) AND \(.*"automaat".*\)$/)
    expect(fts5Query('  ?! ')).toBeNull()
  })
  it('leaves words over the cap unstemmed, and indexes only the first part of a very long text', () => {
    // The stemmers' time grows faster than a word's length: a long word is kept whole instead.
    const long = 'ay'.repeat(MAX_STEMMED_WORD)
    expect(stemVariants(long)).toEqual([long])
    expect(stemVariants('ay'.repeat(MAX_STEMMED_WORD / 2))).not.toHaveLength(0)
    const tokens = indexTokens(`storingen ${'y'.repeat(999_000)} printers`)
    expect(tokens.slice(0, 2)).toEqual(['storingen', 'storing'])
    expect(tokens[tokens.length - 1]).toHaveLength(MAX_INDEXED_TEXT - 'storingen '.length)
    expect(tokens).not.toContain('printers')
  })
  it('searches for at most 16 words of the first 500 characters typed', () => {
    expect(queryTerms(Array.from({ length: 40 }, (_, i) => `woord${i}`).join(' '))).toHaveLength(16)
    expect(queryTerms(`${'x'.repeat(497)} storing`)).toEqual(['x'.repeat(497), 'st'])
  })
})

describe('the text thread', () => {
  it('matches long texts there as it matches short ones at once', async () => {
    const groups = [['Storingen bij de printers', 'x'.repeat(STEM_ON_THE_SPOT)], ['Een vraag over verlof'], ['printer storing']]
    const expected = matchingGroups(['storing', 'printer'], groups)
    expect(expected).toEqual([0, 2])
    expect(await runTextJob('matchingGroups', { words: ['storing', 'printer'], groups }, STEM_ON_THE_SPOT + 100)).toEqual(expected)
  })
})

describe('distinct parts for PostgreSQL\'s ticket index', () => {
  const text = 'Storingen bij de printer. De printer (HP-4050) print niet; zie https://intranet.gemeente.nl/printers?id=4 of mail p.jansen@gemeente.nl.\nStoringen bij de printer: 1.000 pagina\'s, e-mail en E-mail, café en cafe, 2026-00297'
  it('keeps each whitespace-separated part once, in first-seen order', () => {
    expect(distinctParts('a b  a\n c\tb ')).toBe('a b c')
    expect(distinctParts('   ')).toBe('')
  })
  const url = process.env.TEST_DATABASE_URL
  ;(url ? it : it.skip)(`gives PostgreSQL the same lexemes as the whole text${url ? '' : ' — NOT RUN: TEST_DATABASE_URL is not set'}`, async () => {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const lexemes = async (c: string) =>
        (await client.query<{ l: string[] }>(`SELECT tsvector_to_array(${POSTGRES_SEARCH_VECTOR}) AS l FROM (SELECT $1::text AS c) AS content`, [c])).rows[0].l
      const whole = await lexemes(indexableText(text))
      expect(whole).toContain('printer')
      expect(await lexemes(distinctParts(indexableText(text)))).toEqual(whole)
    } finally {
      await client.end()
    }
  })
})
