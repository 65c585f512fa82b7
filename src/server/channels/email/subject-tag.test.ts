import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../config.js'
import { subjectTag, TICKET_NUMBER_IN_SUBJECT } from './email.inbound.js'

describe('ticket number in mail subjects', () => {
  it('recognises the default, a configured and a bare tag', () => {
    for (const subject of ['Re: Printer [Loket #2026-00042]', 'Antw: Vraag [Servicedesk Lingedal #2026-00042]', 'FW: [#2026-00042] laptop', 'RE: x [ICT-Servicedesk # 2026-00042]']) {
      expect(TICKET_NUMBER_IN_SUBJECT.exec(subject)?.[1], subject).toBe('2026-00042')
    }
    for (const subject of ['Factuur 2026-00042', '[2026-00042]', 'Re: [Loket] #2026-00042']) {
      expect(TICKET_NUMBER_IN_SUBJECT.exec(subject), subject).toBeNull()
    }
  })

  it('writes the configured label, checked at start', () => {
    expect(subjectTag('2026-00042')).toBe('[Loket #2026-00042]')
    expect(subjectTag('2026-00042', 'Servicedesk')).toBe('[Servicedesk #2026-00042]')
    const env = { LOKET_DATA_DIR: '/tmp/loket-subject-tag-test', LOKET_SECRET: '07'.repeat(32) }
    expect(loadConfig({ ...env, LOKET_SUBJECT_TAG: 'Servicedesk Lingedal' }).subjectTagLabel).toBe('Servicedesk Lingedal')
    expect(() => loadConfig({ ...env, LOKET_SUBJECT_TAG: 'Bad [#]' })).toThrow(/LOKET_SUBJECT_TAG/)
  })
})
