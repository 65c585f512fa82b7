// A throw-away Loket with the e2e seed and the built agent app, for trying the UI by hand:
//   npx vite build && npx tsx e2e/dev-server.ts
import { ensureWebBuild, PASSWORD, startLoket } from './harness.js'

await ensureWebBuild()
const loket = await startLoket()
console.log(`Loket at ${loket.url}  (anna@gemeente-loket.nl / ${PASSWORD})`)
process.on('SIGINT', () => void loket.close().then(() => process.exit(0)))
process.on('SIGTERM', () => void loket.close().then(() => process.exit(0)))
