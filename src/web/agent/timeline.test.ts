import { describe, expect, it } from 'vitest'
import { splitQuoted } from './Timeline.js'

describe('splitQuoted', () => {
  it('folds the quoted history of a plain-text reply', () => {
    const html = 'Dank u wel!<br><br>Op 1 november 2026 schreef Gemeente Loket:<br>&gt; Wij hebben uw aanvraag ontvangen.'
    expect(splitQuoted(html)).toEqual({ fresh: 'Dank u wel!<br>', quoted: 'Op 1 november 2026 schreef Gemeente Loket:<br>&gt; Wij hebben uw aanvraag ontvangen.' })
  })

  it('folds a trailing block of > lines without an intro line', () => {
    expect(splitQuoted('Ja, graag.<br>&gt; Zullen we bellen?<br>&gt; Groet')).toEqual({ fresh: 'Ja, graag.', quoted: '&gt; Zullen we bellen?<br>&gt; Groet' })
  })

  it('keeps messages without quotes, and quotes in the middle, whole', () => {
    expect(splitQuoted('Alleen tekst')).toEqual({ fresh: 'Alleen tekst', quoted: null })
    const middle = 'U schreef:<br>&gt; een vraag<br>Mijn antwoord staat hieronder.'
    expect(splitQuoted(middle).quoted).toBeNull()
  })

  it('does not fold a message that is only a quote', () => {
    expect(splitQuoted('&gt; alleen geciteerd')).toEqual({ fresh: '&gt; alleen geciteerd', quoted: null })
  })
})

describe('parseTranscript', () => {
  it('reads the widget transcript, one message per line, continuation lines kept', async () => {
    const { parseTranscript } = await import('./Timeline.js')
    expect(parseTranscript('[09:12] Fatima: Hallo\n[09:13] Sanne: Goedemorgen Fatima\nik kijk even mee\n')).toEqual([
      { time: '09:12', who: 'Fatima', text: 'Hallo' },
      { time: '09:13', who: 'Sanne', text: 'Goedemorgen Fatima\nik kijk even mee' },
    ])
  })
  it('is null for ordinary text', async () => {
    const { parseTranscript } = await import('./Timeline.js')
    expect(parseTranscript('Hallo, ik heb een vraag: waar is mijn pas?')).toBeNull()
  })
})
