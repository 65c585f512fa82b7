import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { checkTemplateText, firstNameOf, longDate, placeholdersLeftIn, renderTemplateText } from './placeholders.js'

describe('template placeholders', () => {
  it('fills Dutch names and English aliases alike, and names the ones without a value as written', () => {
    const out = renderTemplateText('Beste {{klant.voornaam}}, {{ customer.firstName }} — {{organisatie.naam}} / {{organisation.name}}', { 'klant.voornaam': 'Anna' })
    expect(out.text).toBe('Beste Anna, Anna — {{organisatie.naam}} / {{organisation.name}}')
    expect(out.missing).toEqual(['organisatie.naam', 'organisation.name'])
  })

  it('refuses unknown placeholders and broken markup, naming line and column', () => {
    const refusal = (text: string) => {
      try {
        checkTemplateText(text, 'body')
      } catch (err) {
        return { message: (err as AppError).message, details: (err as AppError).details }
      }
      return null
    }
    expect(refusal('Hallo {{klant.voornaam}}')).toBeNull()
    expect(refusal('Hallo\nBeste {{klant.voornam}}')).toMatchObject({ message: 'body: line 2, column 7: unknown placeholder {{klant.voornam}}', details: { field: 'body', line: 2, column: 7 } })
    expect(refusal('Hallo {{klant.naam')).toMatchObject({ details: { line: 1, column: 7 } })
    expect(refusal('Hallo {{klant.naam {{melding.nummer}}')?.message).toContain("line 1, column 7: '{{' is not closed")
    expect(refusal('a\nb\n  }} c')?.message).toContain("line 3, column 3: '}}' closes nothing")
    expect(refusal('{{ }}')?.message).toContain('empty placeholder')
  })

  it('finds the placeholders left in a reply, and nothing else between braces', () => {
    expect(placeholdersLeftIn('Beste {{ klant.voornaam }}, {{ticket.number}} {{iets}} {{klant.voornaam}}')).toEqual(['klant.voornaam', 'ticket.number'])
    expect(placeholdersLeftIn('Geen {{ }} of {x}')).toEqual([])
  })

  it('writes dates the Dutch way, and English in English', () => {
    const at = new Date('2026-12-07T23:30:00Z') // already 8 December in Amsterdam
    expect(longDate(at, 'nl')).toBe('8 december 2026')
    expect(longDate(at, 'en')).toBe('8 December 2026')
  })

  it('takes a first name from a display name, never from an address', () => {
    expect(firstNameOf('Anna de Vries')).toBe('Anna')
    expect(firstNameOf('anna@example.nl')).toBeUndefined()
    expect(firstNameOf('  ')).toBeUndefined()
  })
})
