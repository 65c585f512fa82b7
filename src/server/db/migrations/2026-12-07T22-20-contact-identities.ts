import { type Kysely, PostgresAdapter, sql } from 'kysely'
import { parsePhoneNumber } from 'awesome-phonenumber'

// Frozen in time: this file never imports application code.
//
// One person, many identifiers (issue 12): e-mail addresses, phone numbers (E.164) and chat visitor ids in
// contact_identities, each (kind, value) once and pointing at one user. A contact known only by a phone
// number has no e-mail address, so app_user.email may be empty (NULL; still unique when present). A customer
// merged into another keeps their row, disabled, pointing at the one they went into (merged_into_id).

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`ALTER TABLE app_user ALTER COLUMN email DROP NOT NULL`.execute(db)
  } else {
    await sqliteDropEmailNotNull(db)
  }
  await db.schema.alterTable('app_user').addColumn('merged_into_id', 'text', (c) => c.references('app_user.id')).execute()

  await db.schema
    .createTable('contact_identities')
    .addColumn('kind', 'text', (c) => c.notNull()) // 'email' | 'phone' | 'chat'
    .addColumn('value', 'text', (c) => c.notNull()) // e-mail lower-cased, phone in E.164, chat visitor id as given
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('contact_identities_pk', ['kind', 'value'])
    .execute()
  await db.schema.createIndex('contact_identities_user').on('contact_identities').columns(['user_id', 'kind']).execute()

  // Everyone's address, and phone numbers where no one else has the same one already.
  await sql`INSERT INTO contact_identities (kind, value, user_id, created_at)
    SELECT 'email', lower(email), id, created_at FROM app_user WHERE email IS NOT NULL
    ON CONFLICT DO NOTHING`.execute(db)
  // Numbers already in E.164 in one statement, oldest account first (the first owner keeps a shared number);
  // the few written before phone_e164 existed are parsed one by one.
  await sql`INSERT INTO contact_identities (kind, value, user_id, created_at)
    SELECT 'phone', phone_e164, id, created_at FROM app_user WHERE phone_e164 IS NOT NULL ORDER BY created_at, id
    ON CONFLICT DO NOTHING`.execute(db)
  const people = (await db
    .selectFrom('app_user')
    .select(['id', 'phone', 'created_at'])
    .where('phone', 'is not', null)
    .where('phone_e164', 'is', null)
    .orderBy('created_at')
    .execute()) as { id: string; phone: string; created_at: string }[]
  for (const person of people) {
    const e164 = parsePhoneNumber(person.phone, { regionCode: 'NL' }).number?.e164
    if (!e164) continue
    await db
      .insertInto('contact_identities')
      .values({ kind: 'phone', value: e164, user_id: person.id, created_at: person.created_at })
      .onConflict((oc) => oc.doNothing())
      .execute()
  }
}

/**
 * SQLite cannot drop a NOT NULL constraint in place: the table is made anew, as SQLite's documentation
 * describes (https://www.sqlite.org/lang_altertable.html#otheralter, the twelve steps). Foreign keys are off
 * meanwhile (migrations run outside a transaction on SQLite, so the pragma takes effect), the table's own
 * definition is reused with only the email column changed, its indexes are made again, and the foreign keys
 * are checked before the change is committed.
 */
async function sqliteDropEmailNotNull(db: Kysely<any>) {
  const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'app_user'`.execute(db)
  const ddl = table.rows[0].sql
  const changed = ddl.replace(/"email" text not null unique/i, '"email" text unique').replace(/^CREATE TABLE "?app_user"?/i, 'CREATE TABLE "app_user_new"')
  if (changed === ddl || !/"email" text unique/.test(changed)) throw new Error(`app_user's definition is not as expected: ${ddl}`)
  const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND tbl_name = 'app_user' AND sql IS NOT NULL`.execute(db)
  const columns = await sql<{ name: string }>`SELECT name FROM pragma_table_info('app_user')`.execute(db)
  const list = columns.rows.map((c) => `"${c.name}"`).join(', ')
  await sql`PRAGMA foreign_keys = OFF`.execute(db)
  try {
    await sql`BEGIN`.execute(db)
    try {
      await sql.raw(changed).execute(db)
      await sql.raw(`INSERT INTO app_user_new (${list}) SELECT ${list} FROM app_user`).execute(db)
      await sql`DROP TABLE app_user`.execute(db)
      await sql`ALTER TABLE app_user_new RENAME TO app_user`.execute(db)
      for (const index of indexes.rows) await sql.raw(index.sql).execute(db)
      const broken = await sql`PRAGMA foreign_key_check`.execute(db)
      if (broken.rows.length) throw new Error(`foreign keys broken after rebuilding app_user: ${JSON.stringify(broken.rows.slice(0, 5))}`)
      await sql`COMMIT`.execute(db)
    } catch (error) {
      await sql`ROLLBACK`.execute(db)
      throw error
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('contact_identities').execute()
  await db.schema.alterTable('app_user').dropColumn('merged_into_id').execute()
  // The e-mail column stays nullable: people known only by phone number have none.
}
