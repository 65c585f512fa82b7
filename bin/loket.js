#!/usr/bin/env node
// The `loket` command: runs the compiled CLI (npm start and npm run build produce dist/).
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
const cli = fileURLToPath(new URL('../dist/src/server/cli/main.js', import.meta.url))
if (!existsSync(cli)) {
  console.error('loket: not built yet; run `npm run build` first (npm start does this for you).')
  process.exit(1)
}
await import(cli)
