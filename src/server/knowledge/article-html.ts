import sanitizeHtml from 'sanitize-html'
import { foldText } from '../db/text-search.js'
import { htmlToText } from '../tickets/sanitize.js'

/**
 * What an article's HTML may hold: text structure, links and images from Loket itself. Scripts, styles,
 * event handlers and javascript: links go; a remote image (a tracking pixel, or a picture that can
 * change after review) is dropped. Applied on save and again on display.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'h2', 'h3', 'h4', 'strong', 'em', 'b', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'blockquote', 'code', 'pre', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img'],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'width', 'height'], th: ['scope', 'colspan', 'rowspan'], td: ['colspan', 'rowspan'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowProtocolRelative: false,
  // Images from Loket itself (a relative path) or inline data; any other address is remote.
  exclusiveFilter: (frame) => frame.tag === 'img' && !(/^\/(?!\/)/.test(frame.attribs.src ?? '') || /^data:image\//i.test(frame.attribs.src ?? '')),
  transformTags: { a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }) },
}

export const sanitizeArticleHtml = (html: string): string => sanitizeHtml(html, OPTIONS)

/** The start of an article's text, plain, for lists and suggestions. */
export function excerptOf(html: string, length = 180): string {
  const text = htmlToText(html).replace(/\s+/g, ' ').trim()
  return text.length <= length ? text : `${text.slice(0, length).replace(/\s+\S*$/, '')}…`
}

/** "Wachtwoord opnieuw instellen" → "wachtwoord-opnieuw-instellen": readable addresses for public pages. */
export const slugOf = (title: string) =>
  foldText(title)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '') || 'artikel'

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** Plain text (a ticket's note) as article HTML: paragraphs at blank lines, line breaks kept. */
export const textToArticleHtml = (text: string) =>
  text
    .trim()
    .split(/\n\s*\n/)
    .map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
    .join('')

export { escapeHtml }
