import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

/**
 * Content-Security-Policy for the built app (not the dev server, whose React refresh needs an inline script).
 * Besides defence in depth against script injection, img-src keeps remote images in customers' HTML mail
 * (tracking pixels) from loading; attachments and inline images come from Loket itself.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ')

export const contentSecurityPolicy = (): Plugin => ({
  name: 'loket-csp',
  apply: 'build',
  transformIndexHtml: (html) => html.replace('<meta charset="utf-8" />', `<meta charset="utf-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
})

/** The agent app: src/web/agent → dist/web, served by the Loket server at /. */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/agent', import.meta.url)),
  base: '/',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
})
