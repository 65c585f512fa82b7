import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Services } from '../services.js'
import { escapeHtml } from './article-html.js'

type Lang = 'nl' | 'en'
const TEXT = {
  nl: { base: 'Kennisbank', search: 'Zoeken in de kennisbank', button: 'Zoeken', none: 'Geen artikelen gevonden.', updated: 'Bijgewerkt op', back: 'Alle artikelen', notFound: 'Dit artikel bestaat niet (meer) of is niet openbaar.', results: 'Artikelen' },
  en: { base: 'Knowledge base', search: 'Search the knowledge base', button: 'Search', none: 'No articles found.', updated: 'Updated on', back: 'All articles', notFound: 'This article does not exist (any more) or is not public.', results: 'Articles' },
}

/** The page's own language: ?lang=, else the browser's first choice of nl or en, else Dutch. */
function pageLanguage(request: FastifyRequest): Lang {
  const asked = (request.query as { lang?: string }).lang
  if (asked === 'en' || asked === 'nl') return asked
  const accept = (request.headers['accept-language'] ?? '').toLowerCase()
  const en = accept.indexOf('en')
  const nl = accept.indexOf('nl')
  return en !== -1 && (nl === -1 || en < nl) ? 'en' : 'nl'
}

const STYLE = `body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
a{color:#0a4b8c}header{border-bottom:1px solid #ccc;margin-bottom:1rem}header a{font-weight:600;text-decoration:none}
form{display:flex;gap:.5rem;margin:1rem 0}input{flex:1;font:inherit;padding:.4rem;border:1px solid #666;border-radius:4px}
button{font:inherit;padding:.4rem .9rem;border:0;border-radius:4px;background:#0a4b8c;color:#fff}
.meta{color:#555;font-size:.9rem}img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem}
li{margin:.3rem 0}:focus-visible{outline:3px solid #e08a00;outline-offset:2px}`

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

function page(reply: FastifyReply, status: number, lang: Lang, title: string, main: string) {
  const t = TEXT[lang]
  return reply
    .code(status)
    .header('content-security-policy', CSP)
    .header('cache-control', status === 200 ? 'public, max-age=60' : 'no-cache')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
        `<title>${escapeHtml(title)} · ${t.base}</title><style>${STYLE}</style></head><body>` +
        `<header><p><a href="/kennisbank?lang=${lang}">${t.base}</a></p></header><main>${main}</main></body></html>`,
    )
}

const searchForm = (lang: Lang, q = '') =>
  `<form role="search" action="/kennisbank" method="get"><input type="hidden" name="lang" value="${lang}"><label for="q" class="visually-hidden" style="position:absolute;left:-9999px">${TEXT[lang].search}</label>` +
  `<input id="q" name="q" type="search" value="${escapeHtml(q)}" placeholder="${TEXT[lang].search}"><button type="submit">${TEXT[lang].button}</button></form>`

/**
 * The public knowledge base as plain, server-rendered pages: readable without JavaScript, indexable,
 * and only ever showing published public articles.
 */
export const publicKnowledgePages: FastifyPluginAsync<{ services: Services }> = async (app, { services }) => {
  app.get('/kennisbank', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const lang = pageLanguage(request)
    const q = String((request.query as { q?: string }).q ?? '').slice(0, 200)
    const items = await services.knowledge.publicArticles({ q: q || undefined, limit: 50 })
    const list = items.length
      ? `<ul>${items.map((a) => `<li><a href="/kennisbank/${encodeURIComponent(a.slug)}" hreflang="${a.language}">${escapeHtml(a.title)}</a><br><span class="meta">${escapeHtml(a.excerpt)}</span></li>`).join('')}</ul>`
      : `<p>${TEXT[lang].none}</p>`
    return page(reply, 200, lang, TEXT[lang].base, `<h1>${TEXT[lang].base}</h1>${searchForm(lang, q)}<h2>${TEXT[lang].results}</h2>${list}`)
  })

  app.get<{ Params: { slug: string } }>('/kennisbank/:slug', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const article = await services.knowledge.publicArticle(request.params.slug)
    const lang = pageLanguage(request)
    if (!article) return page(reply, 404, lang, TEXT[lang].base, `<h1>${TEXT[lang].base}</h1><p>${TEXT[lang].notFound}</p><p><a href="/kennisbank?lang=${lang}">${TEXT[lang].back}</a></p>`)
    const chrome = TEXT[lang]
    const date = new Intl.DateTimeFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'Europe/Amsterdam' }).format(new Date(article.updatedAt))
    return page(
      reply,
      200,
      lang,
      article.title,
      `<article lang="${article.language}"><h1>${escapeHtml(article.title)}</h1>` +
        `<p class="meta">${article.category ? `${escapeHtml(article.category)} · ` : ''}${chrome.updated} <time datetime="${article.updatedAt}">${date}</time></p>` +
        `${article.html}</article><p><a href="/kennisbank?lang=${lang}">${chrome.back}</a></p>`,
    )
  })
}
