import { describe, expect, it } from 'vitest'
import { renderSignature, unknownSignaturePlaceholders } from './signature.js'

const values = { agentName: 'Anna de Vries', agentSignature: 'Anna de Vries\nServicedesk, 020 123 45 67', groupName: 'Servicedesk', organisationName: 'Gemeente Loket' }

describe('signatures', () => {
  it('puts the person\'s own part where the group says, in Dutch or English placeholders', () => {
    expect(renderSignature('Met vriendelijke groet,\n\n{{agent.handtekening}}\n{{ groep.naam }} · {{organisation.name}}', values)).toBe(
      'Met vriendelijke groet,\n\nAnna de Vries\nServicedesk, 020 123 45 67\nServicedesk · Gemeente Loket',
    )
  })
  it('puts the own part above a template that does not place it; no template: the own part alone', () => {
    expect(renderSignature('{{groep.naam}} van {{organisatie.naam}}', values)).toBe('Anna de Vries\nServicedesk, 020 123 45 67\nServicedesk van Gemeente Loket')
    expect(renderSignature('  ', values)).toBe('Anna de Vries\nServicedesk, 020 123 45 67')
    expect(renderSignature('', { ...values, agentSignature: ' ' })).toBe('')
  })
  it('leaves no empty line where an own part is missing, and keeps the template\'s own blank lines', () => {
    expect(renderSignature('Groet,\n\n{{agent.signature}}\n{{agent.naam}}', { ...values, agentSignature: '' })).toBe('Groet,\n\nAnna de Vries')
  })
  it('names unknown placeholders', () => {
    expect(unknownSignaturePlaceholders('{{agent.naam}} {{klant.naam}} {{ foo }}')).toEqual(['klant.naam', 'foo'])
    expect(unknownSignaturePlaceholders('{{agent.name}} {{group.name}}')).toEqual([])
  })
})
