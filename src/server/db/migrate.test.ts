import { expect, it } from 'vitest'
import { Migrator, sql } from 'kysely'
import { describeEachDatabase } from '../test/databases.js'
import { createDb } from './create-db.js'
import { migrateToLatest } from './migrate.js'
import { migrationProvider, migrations } from './migrations/index.js'

describeEachDatabase('migrations', (database) => {
  // Several processes share one database only on PostgreSQL; SQLite is one process, so there they run in turn.
  it('run safely from several processes at once (PostgreSQL) and again on every start', async () => {
    const created = await database.create()
    const handles = [createDb(created.config), createDb(created.config), createDb(created.config)]
    try {
      const results =
        database.name === 'postgres'
          ? await Promise.all(handles.map((h) => migrateToLatest(h)))
          : [await migrateToLatest(handles[0]), await migrateToLatest(handles[1]), await migrateToLatest(handles[2])]
      // Exactly one runner applied each migration; the others found nothing to do.
      expect(results.flat().sort()).toEqual(Object.keys(migrations).sort())
      expect(await migrateToLatest(handles[0])).toEqual([])
      const count = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(handles[0].db)
      expect(Number(count.rows[0].n)).toBe(Object.keys(migrations).length)
    } finally {
      for (const h of handles) await h.close()
      await created.drop()
    }
  })
})

describeEachDatabase('contact identities (issue 12)', (database) => {
  it('make app_user.email optional with every row, index and foreign key kept, and copy addresses and phone numbers into contact_identities', async () => {
    const created = await database.create()
    const handle = createDb(created.config)
    try {
      const migrator = new Migrator({ db: handle.db, provider: migrationProvider, allowUnorderedMigrations: true })
      const names = Object.keys(migrations).sort()
      const before = names[names.indexOf('2026-12-07T22-20-contact-identities') - 1]
      const { error } = await migrator.migrateTo(before)
      expect(error).toBeUndefined()
      const at = '2026-12-07T12:00:00.000Z'
      const person = { role: 'customer', language: 'nl', active: 1, created_at: at, updated_at: at }
      await handle.db.insertInto('app_user').values([
        { id: 'u1', email: 'jan@klant.nl', name: 'Jan', phone: '06-12345678', phone_e164: '+31612345678', ...person },
        { id: 'u2', email: 'piet@klant.nl', name: 'Piet', phone: '06 1234 5678', phone_e164: '+31612345678', ...person },
      ] as never).execute()
      await handle.db.insertInto('session').values({ id: 's1', user_id: 'u1', csrf_token: 'c', user_agent: null, created_at: at, last_seen_at: at, expires_at: at }).execute()
      expect(await migrateToLatest(handle)).toContain('2026-12-07T22-20-contact-identities')

      expect(await handle.db.selectFrom('session').select('user_id').execute()).toEqual([{ user_id: 'u1' }])
      const identities = await handle.db.selectFrom('contact_identities').select(['kind', 'value', 'user_id']).orderBy('kind').orderBy('value').execute()
      // The shared number goes to whoever had it first.
      expect(identities).toEqual([
        { kind: 'email', value: 'jan@klant.nl', user_id: 'u1' },
        { kind: 'email', value: 'piet@klant.nl', user_id: 'u2' },
        { kind: 'phone', value: '+31612345678', user_id: 'u1' },
      ])
      // A contact known only by phone now fits; an address is still someone's alone.
      await handle.db.insertInto('app_user').values({ id: 'u3', email: null, name: 'Beller', phone: '0201234567', phone_e164: null, ...person } as never).execute()
      await expect(handle.db.insertInto('app_user').values({ id: 'u4', email: 'jan@klant.nl', name: 'Jan 2', phone: null, phone_e164: null, ...person } as never).execute()).rejects.toThrow()
      // Foreign keys to app_user still hold (a session of no one is refused).
      await expect(handle.db.insertInto('session').values({ id: 's2', user_id: 'nobody', csrf_token: 'c', user_agent: null, created_at: at, last_seen_at: at, expires_at: at }).execute()).rejects.toThrow()
      if (database.name === 'sqlite') {
        const indexes = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'app_user' AND sql IS NOT NULL ORDER BY name`.execute(handle.db)
        expect(indexes.rows.map((r) => r.name)).toEqual(['app_user_org', 'app_user_org_local_admin', 'app_user_phone_e164', 'app_user_role'])
        expect((await sql`PRAGMA foreign_key_check`.execute(handle.db)).rows).toEqual([])
      }
    } finally {
      await handle.close()
      await created.drop()
    }
  })
})
