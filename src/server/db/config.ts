/** Which database a Loket process uses: an embedded SQLite file, or a PostgreSQL server (DATABASE_URL). */
export type DbConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize: number }

export type DbKind = DbConfig['kind']
