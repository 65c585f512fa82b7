import { type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../db/dialect.js'
import type { Executor } from '../db/schema.js'
import { expandForIndex, foldText, fts5Query, searchTerms, stemVariants } from '../db/text-search.js'

/**
 * One full-text index over knowledge articles and templates (`knowledge_search`), title and text
 * apart so that a word in the title weighs more: FTS5 with our own Dutch and English stems on SQLite,
 * tsvector (dutch + english + simple) on PostgreSQL. The only code that touches the table.
 */
export type IndexedKind = 'article' | 'template'

/** Words too common to say anything about what a ticket is about (both languages, accents folded). */
const STOP_WORDS = new Set(
  (
    'de het een en van ik je jij u uw mijn me mij is in op te dat die dit deze er niet met voor aan om als maar bij ook nog wel zijn was ' +
    'ben bent heb hebt heeft hebben kan kun kunt kunnen wordt worden werd of naar uit dan tot hoe wat wie waar waarom wanneer geen al zo we wij ' +
    'ons onze ze zij hij haar hem hun dus door over meer toch even graag alvast bedankt dank groet groeten beste hallo goedemorgen goedemiddag ' +
    'vriendelijke mvg met sinds nu moet moeten wil willen zou zouden iets alles heel erg na per via ' +
    'the a an and of to in is it i you my me for on with that this be are was were have has had can could not no do does did at from or as by ' +
    'please thanks thank hello hi dear regards would will should there their they we our your its into about'
  ).split(/\s+/),
)

/** The words of a text that can say what it is about, most telling first (longer words), at most `max`. */
export function telling(text: string, max: number): string[] {
  const words = [...new Set(searchTerms(text).filter((w) => w.length > 2 && !STOP_WORDS.has(w) && !/^\d+$/.test(w)))]
  return words.slice(0, max * 3).sort((a, b) => b.length - a.length).slice(0, max)
}

/**
 * A word's stems without the word itself, when they differ: the index holds the stems of every word, so
 * they find all its forms, and a word is not counted twice in the ranking (once as itself, once as a stem).
 */
function stemsOf(word: string): string[] {
  const variants = stemVariants(word)
  return variants.length > 1 ? variants.slice(1) : variants
}

const PG_VECTOR = (title: string, content: string) =>
  sql`setweight(to_tsvector('dutch', ${title}) || to_tsvector('english', ${title}) || to_tsvector('simple', ${title}), 'A') ||
      setweight(to_tsvector('dutch', ${content}) || to_tsvector('english', ${content}) || to_tsvector('simple', ${content}), 'B')`

/**
 * The suggestions look for a ticket's telling words, rarest in the index first, as long as together they
 * occur in at most this many entries (always at least MIN_WORDS of them). Ranking is by rare words anyway
 * (a word most articles have says little about which one fits), and the database then ranks a few hundred
 * entries instead of all of them: with 10,000 articles, every one shares some common word with a ticket.
 * When even the two rarest words are common, the newest ENTRY_BUDGET entries holding them are ranked.
 */
const ENTRY_BUDGET = 500
const MIN_WORDS = 2

/** tsvector has a 1 MB limit: three stemmings of the first 100,000 characters stay well within it. */
const clip = (text: string) => foldText(text).slice(0, 100_000)

/** How a query matches: every word (a search) or any word, ranked (suggestions for a ticket). */
export type MatchMode = 'all' | 'any'

export interface Match {
  /** A derived table `(ref_id, score)` of matching entries of one kind, in parentheses; a higher score is a better match. */
  table: RawBuilder<{ ref_id: string; score: number }>
}

export function knowledgeIndex(dialect: Pick<Dialect, 'kind'>) {
  const sqlite = dialect.kind === 'sqlite'
  const index = {
    async put(db: Executor, kind: IndexedKind, refId: string, title: string, content: string): Promise<void> {
      if (sqlite) {
        const titleTokens = expandForIndex(title)
        const contentTokens = expandForIndex(content)
        const terms = [...new Set(`${titleTokens} ${contentTokens}`.split(' ').filter(Boolean))]
        const entry = await db.selectFrom('knowledge_entry').select(['fts_rowid', 'terms']).where('kind', '=', kind).where('ref_id', '=', refId).executeTakeFirst()
        let rowid: number
        if (entry) {
          rowid = entry.fts_rowid
          await sql`UPDATE knowledge_search SET title = ${titleTokens}, content = ${contentTokens} WHERE rowid = ${rowid}`.execute(db)
        } else {
          await sql`INSERT INTO knowledge_search (kind, ref_id, title, content) VALUES (${kind}, ${refId}, ${titleTokens}, ${contentTokens})`.execute(db)
          rowid = Number((await sql<{ id: number }>`SELECT last_insert_rowid() AS id`.execute(db)).rows[0].id)
        }
        await countTokens(db, entry ? entry.terms.split(',').filter(Boolean) : [], terms)
        await db
          .insertInto('knowledge_entry')
          .values({ kind, ref_id: refId, fts_rowid: rowid, terms: terms.join(',') })
          .onConflict((oc) => oc.columns(['kind', 'ref_id']).doUpdateSet({ fts_rowid: rowid, terms: terms.join(',') }))
          .execute()
        return
      }
      const { rows } = await sql<{ tsv: string }>`SELECT (${PG_VECTOR(clip(title), clip(content))})::text AS tsv`.execute(db)
      const tsv = rows[0].tsv
      await countLexemes(db, kind, refId, tsv)
      await sql`DELETE FROM knowledge_search WHERE kind = ${kind} AND ref_id = ${refId}`.execute(db)
      await sql`INSERT INTO knowledge_search (kind, ref_id, tsv) VALUES (${kind}, ${refId}, ${tsv}::tsvector)`.execute(db)
    },

    async remove(db: Executor, kind: IndexedKind, refId: string): Promise<void> {
      if (sqlite) {
        const entry = await db.selectFrom('knowledge_entry').select(['fts_rowid', 'terms']).where('kind', '=', kind).where('ref_id', '=', refId).executeTakeFirst()
        if (!entry) return
        await sql`DELETE FROM knowledge_search WHERE rowid = ${entry.fts_rowid}`.execute(db)
        await countTokens(db, entry.terms.split(',').filter(Boolean), [])
        await db.deleteFrom('knowledge_entry').where('kind', '=', kind).where('ref_id', '=', refId).execute()
        return
      }
      await countLexemes(db, kind, refId, null)
      await sql`DELETE FROM knowledge_search WHERE kind = ${kind} AND ref_id = ${refId}`.execute(db)
    },

    /**
     * The words of a ticket's text to look for in the suggestions: its telling words (see `telling`),
     * rarest in the index first, while together they occur in at most ENTRY_BUDGET entries; words the
     * index does not hold are left out (they cannot match).
     */
    async wordsToSuggestBy(db: Executor, text: string): Promise<string[]> {
      const words = telling(text, 24)
      if (words.length === 0) return []
      const docs = await entriesWith(db, words)
      const known = words.filter((w) => (docs.get(w) ?? 0) > 0).sort((a, b) => docs.get(a)! - docs.get(b)! || words.indexOf(a) - words.indexOf(b))
      const chosen: string[] = []
      let total = 0
      for (const w of known) {
        if (chosen.length >= MIN_WORDS && total + docs.get(w)! > ENTRY_BUDGET) break
        chosen.push(w)
        total += docs.get(w)!
      }
      return chosen
    },

    /**
     * Entries of `kind` matching the query, or null when the query has no words to look for. `all`: every
     * word of the query (a search); `any`: any of these words, ranked (suggestions, words from wordsToSuggestBy).
     */
    match(kind: IndexedKind, query: string | readonly string[], mode: MatchMode): Match | null {
      const words = typeof query !== 'string' ? [...query] : mode === 'all' ? searchTerms(query).slice(0, 16) : telling(query, 24)
      if (words.length === 0) return null
      if (sqlite) {
        const expression =
          mode === 'all' ? fts5Query(words.join(' ')) : words.map((w) => stemsOf(w).map((v) => `"${v}"`).join(' OR ')).join(' OR ')
        if (!expression) return null
        // bm25 is lower for better matches; weights per column: kind, ref_id, title, content.
        if (mode === 'all') {
          return { table: sql`(SELECT ref_id, -bm25(knowledge_search, 0, 0, 10.0, 1.0) AS score FROM knowledge_search WHERE knowledge_search MATCH ${expression} AND kind = ${kind})` }
        }
        return {
          table: sql`(SELECT ref_id, -bm25(knowledge_search, 0, 0, 10.0, 1.0) AS score FROM knowledge_search WHERE knowledge_search MATCH ${expression} AND kind = ${kind} ORDER BY rowid DESC LIMIT ${ENTRY_BUDGET})`,
        }
      }
      const text = words.join(mode === 'all' ? ' ' : ' | ')
      const q =
        mode === 'all'
          ? sql`(plainto_tsquery('dutch', ${text}) || plainto_tsquery('english', ${text}) || plainto_tsquery('simple', ${text}))`
          : sql`(to_tsquery('dutch', ${text}) || to_tsquery('english', ${text}) || to_tsquery('simple', ${text}))`
      if (mode === 'all') return { table: sql`(SELECT ref_id, ts_rank(tsv, ${q}) AS score FROM knowledge_search WHERE kind = ${kind} AND tsv @@ ${q})` }
      return { table: sql`(SELECT ref_id, ts_rank(tsv, ${q}) AS score FROM (SELECT ref_id, tsv FROM knowledge_search WHERE kind = ${kind} AND tsv @@ ${q} LIMIT ${ENTRY_BUDGET}) AS capped)` }
    },
  }
  return index

  /** In how many index entries (articles and templates) each word occurs, by itself or as one of its stems: the most of its forms. */
  async function entriesWith(db: Executor, words: readonly string[]): Promise<Map<string, number>> {
    const docs = new Map<string, number>()
    if (sqlite) {
      const forms = new Map(words.map((w) => [w, stemsOf(w)]))
      const terms = [...new Set([...forms.values()].flat())]
      const rows = await db.selectFrom('knowledge_term').select(['term', 'docs']).where('term', 'in', terms).execute()
      const byTerm = new Map(rows.map((r) => [r.term, Number(r.docs)]))
      for (const [w, variants] of forms) docs.set(w, Math.max(0, ...variants.map((v) => byTerm.get(v) ?? 0)))
      return docs
    }
    const { rows } = await sql<{ word: string; docs: number }>`
      SELECT w AS word, coalesce(max(t.docs), 0) AS docs
      FROM unnest(${[...words]}::text[]) AS w
      CROSS JOIN LATERAL unnest(tsvector_to_array(to_tsvector('dutch', w) || to_tsvector('english', w) || to_tsvector('simple', w))) AS l(lexeme)
      LEFT JOIN knowledge_term AS t ON t.term = l.lexeme
      GROUP BY w`.execute(db)
    for (const r of rows) docs.set(r.word, Number(r.docs))
    return docs
  }

  /** SQLite: the counts of the terms an entry no longer has one less, of its new ones one more (in term order, in batches). */
  async function countTokens(db: Executor, before: readonly string[], after: readonly string[]) {
    const old = new Set(before)
    const now = new Set(after)
    const changes = [...[...now].filter((t) => !old.has(t)).map((t) => [t, 1] as const), ...[...old].filter((t) => !now.has(t)).map((t) => [t, -1] as const)]
    changes.sort((a, b) => (a[0] < b[0] ? -1 : 1))
    for (let i = 0; i < changes.length; i += 500) {
      await db
        .insertInto('knowledge_term')
        .values(changes.slice(i, i + 500).map(([term, docs]) => ({ term, docs })))
        .onConflict((oc) => oc.column('term').doUpdateSet((eb) => ({ docs: eb('knowledge_term.docs', '+', eb.ref('excluded.docs')) })))
        .execute()
    }
  }

  /**
   * PostgreSQL: keeps knowledge_term's counts with an entry's change: its old lexemes one less, the new
   * ones (`tsv`, none when it is removed) one more, in one statement in term order (no deadlocks between
   * two articles saved at once).
   */
  async function countLexemes(db: Executor, kind: IndexedKind, refId: string, tsv: string | null) {
    await sql`INSERT INTO knowledge_term (term, docs)
      SELECT term, sum(d)::int FROM (
        SELECT unnest(tsvector_to_array(tsv)) AS term, -1 AS d FROM knowledge_search WHERE kind = ${kind} AND ref_id = ${refId}
        UNION ALL SELECT unnest(tsvector_to_array(${tsv}::tsvector)) AS term, 1 AS d
      ) AS change GROUP BY term HAVING sum(d) <> 0 ORDER BY term
      ON CONFLICT (term) DO UPDATE SET docs = knowledge_term.docs + excluded.docs`.execute(db)
  }
}
export type KnowledgeIndex = ReturnType<typeof knowledgeIndex>
