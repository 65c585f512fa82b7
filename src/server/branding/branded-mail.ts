import type { Logo } from './branding.service.js'

const LOGO_CID = 'logo@loket'

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Plain text as HTML paragraphs, with its web addresses as links. */
function textToHtml(text: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`).replace(/\n/g, '<br>')}</p>`)
    .join('\n')
}

/**
 * A mail Loket sends on its own account (invitations, links, notifications) in the organisation's
 * branding: its name under the text, and with a logo an HTML version that shows it at the top (an inline
 * image, so no mail client has to fetch anything). Without branding the mail stays plain text.
 */
export function brandedMail(mail: { subject: string; text: string }, brand: { name: string | null; logo: Logo | null }) {
  const text = brand.name ? `${mail.text.trimEnd()}\n\n-- \n${brand.name}\n` : mail.text
  if (!brand.logo) return { subject: mail.subject, text }
  const alt = escapeHtml(brand.name ?? '')
  const html = [
    '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">',
    `<p><img src="cid:${LOGO_CID}" alt="${alt}" style="max-height:64px;max-width:240px"></p>`,
    textToHtml(mail.text),
    brand.name ? `<p style="color:#555">${escapeHtml(brand.name)}</p>` : '',
    '</body></html>',
  ].join('\n')
  const extension = brand.logo.contentType.split('/')[1] === 'jpeg' ? 'jpg' : brand.logo.contentType.split('/')[1]
  return {
    subject: mail.subject,
    text,
    html,
    attachments: [{ filename: `logo.${extension}`, content: brand.logo.data, contentType: brand.logo.contentType, cid: LOGO_CID, contentDisposition: 'inline' as const }],
  }
}
