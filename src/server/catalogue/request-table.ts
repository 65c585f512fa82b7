import type { CatalogAnswer } from '../../shared/api/catalogue.js'

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const YES_NO = { nl: ['Ja', 'Nee'], en: ['Yes', 'No'] } as const

/** An answer as people read it: yes/no in the requester's language, a date as written, text as typed. */
export function readableValue(answer: CatalogAnswer, language: string): string {
  if (answer.type === 'yesno') return YES_NO[language === 'en' ? 'en' : 'nl'][answer.value === 'true' ? 0 : 1]
  return answer.value
}

/** The first article of a catalogue request: the item and each answer as a row of a table, in HTML that the sanitiser keeps. */
export function requestTableHtml(itemTitle: string, answers: CatalogAnswer[], language: string): string {
  const rows = answers
    .map((a) => `<tr><th scope="row">${escape(a.label)}</th><td>${escape(readableValue(a, language)).replace(/\n/g, '<br>')}</td></tr>`)
    .join('')
  const caption = language === 'en' ? `Request: ${itemTitle}` : `Aanvraag: ${itemTitle}`
  return `<table><caption>${escape(caption)}</caption><tbody>${rows}</tbody></table>`
}
