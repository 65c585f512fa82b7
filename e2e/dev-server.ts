// A throw-away Loket with the e2e seed and the built agent app, for trying the UI by hand:
//   npx tsx e2e/dev-server.ts
import { buildWeb, PASSWORD, startLoket } from './harness.js'

const loket = await startLoket(await buildWeb())
console.log(`Loket at ${loket.url}  (anna@gemeente-loket.nl / ${PASSWORD})`)
process.on('SIGINT', () => void loket.close().then(() => process.exit(0)))
process.on('SIGTERM', () => void loket.close().then(() => process.exit(0)))
