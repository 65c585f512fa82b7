import sanitizeHtml from 'sanitize-html'

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'iframe'),
    'img', 'span', 'font', 'center', 'del', 'ins', 'u', 's', 'sub', 'sup', 'colgroup', 'col',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'name', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan', 'align', 'valign'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'scope'],
    table: ['summary'],
    '*': ['dir', 'lang'],
  },
  // cid: inline images are rewritten to attachment URLs by the mail channel before display.
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https', 'data', 'cid'] },
  allowProtocolRelative: false,
  transformTags: {
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow', target: '_blank' } }),
    // Remote images in mail are how senders see who opened it (tracking pixels): they become links
    // the agent can choose to follow. Inline (cid:, rewritten to our attachment URLs) and data: stay.
    img: (tagName, attribs) =>
      /^https?:/i.test(attribs.src ?? '')
        ? { tagName: 'a', attribs: { href: attribs.src, rel: 'noopener noreferrer nofollow', target: '_blank', title: attribs.title ?? '' }, text: `[${attribs.alt || 'afbeelding / image'}]` }
        : { tagName, attribs },
  },
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)

/** HTML that is safe to put in a page: outside HTML is sanitised, plain text escaped with its line breaks kept. */
export function toSafeHtml(body: string, contentType: string): string {
  if (contentType === 'text/html') return sanitizeHtml(body, OPTIONS)
  return escapeHtml(body).replace(/\r?\n/g, '<br>')
}

/** The plain text of an article body, whichever its content type: for the search index and searches. */
export const plainTextOf = (body: string, contentType: string) => (contentType === 'text/html' ? htmlToText(body) : body)

/** Plain text of an HTML body, for the search index and notifications. */
export const htmlToText = (html: string) =>
  sanitizeHtml(html.replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)[^>]*>/gi, '\n'), { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\n{3,}/g, '\n\n')
    .trim()
