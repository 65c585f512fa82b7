import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { contentSecurityPolicy } from './vite.config.js'

/**
 * The customer portal: src/web/portal → dist/web/portal, served by the Loket server at /portal.
 * Preact instead of React and none of the agent app's libraries, so the first load stays under 80 KB gzip
 * on a phone (checked by `npm run bench`). Run after the agent build, which empties dist/web.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src/web/portal', import.meta.url)),
  base: '/portal/',
  plugins: [contentSecurityPolicy()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web/portal', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true } },
  },
})
