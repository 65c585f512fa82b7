#!/usr/bin/env node
// The `loket` command. Runs the compiled CLI (npm run build / npm start produce dist/); on a fresh
// checkout that has not been built yet it runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

const compiled = fileURLToPath(new URL('../dist/src/server/cli/main.js', import.meta.url))
if (existsSync(compiled)) {
  await import(pathToFileURL(compiled).href)
} else {
  try {
    const { register } = await import('tsx/esm/api')
    register()
  } catch {
    console.error('loket: not built yet; run `npm run build` first (npm start does this for you).')
    process.exit(1)
  }
  await import(new URL('../src/server/cli/main.ts', import.meta.url).href)
}
