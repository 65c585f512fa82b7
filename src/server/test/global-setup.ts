/** Says once, loudly, when the PostgreSQL half of the suite cannot run. */
export default function setup() {
  if (!process.env.TEST_DATABASE_URL) {
    const line = '!'.repeat(78)
    console.warn(`\n${line}\n  TEST_DATABASE_URL is not set: every PostgreSQL test is SKIPPED and did NOT run.\n  Set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test (as .ci/run does).\n${line}\n`)
    if (process.env.CI) throw new Error('TEST_DATABASE_URL must be set in CI: the PostgreSQL tests would not run.')
  }
}
