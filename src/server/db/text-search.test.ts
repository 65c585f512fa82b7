import { describe, expect, it } from 'vitest'
import { expandForIndex, foldText, fts5Query, stemVariants } from './text-search.js'

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
})
