import type { ItemSummary, LibraryQuery } from '../../shared/schemas';
import type { LibraryQuery as LibraryQuerySchema } from '../../shared/schemas';
import type { z } from 'zod';
import type { ReadableDB } from '../db/database';
import { rowToSummary, type ItemRow } from './itemsRepo';

type ParsedQuery = z.output<typeof LibraryQuerySchema>;
type Params = Record<string, string | number>;

/** Each has an index on (column, id) from migration 20, which serves both directions. */
const SORT_COLUMNS: Record<ParsedQuery['sort'], string> = {
  recordedAt: 'i.recorded_at_utc',
  importedAt: 'i.imported_at',
  name: 'i.original_name',
  size: 'i.size',
};

/** The trigram index needs three characters; shorter terms fall back to LIKE over every row. */
export const MIN_FTS_CHARS = 3;

/**
 * A full-text term matching more than this share of the items is "broad": looking up each of
 * its rows by rowid costs more than walking another index and testing membership row by row.
 */
const BROAD_TEXT_SHARE = 1 / 8;

/**
 * Matches are "dense" when walking the sort index in order, testing the filters row by row,
 * reaches the end of the page at least this many times sooner than collecting every match and
 * sorting would (counted for matches spread evenly). The margin covers matches that cluster at
 * the far end of the sort order, such as a recorded-time range sorted by import time.
 */
const DENSE_MARGIN = 16;

/**
 * One WHERE condition, written twice. `sql` lets SQLite drive the query from an index on the
 * column; `walk` puts the column behind unary `+`, which keeps the planner from using an index for
 * it (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_), so the
 * sort index is walked in order and the condition tested on each row.
 */
interface Condition {
  sql: string;
  walk: string;
  /** `text`: among the full-text matches; `sort`: on the sort column, whose index serves it either way. */
  role: 'text' | 'sort' | 'other';
}

interface Filter {
  conditions: Condition[];
  params: Params;
  /** The FTS5 query, when the text goes through the trigram index. */
  fts: string | null;
}

export interface LibraryFacets {
  deviceIds: string[];
  officerIds: string[];
  cameraModels: string[];
  cameraSerials: string[];
}

export interface LibraryPage {
  items: ItemSummary[];
  total: number;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The term as one FTS5 string: between double quotes every character is literal (`*`, `AND`,
 * `NEAR`, `:`, `^`, `-`, parentheses) and a double quote is written twice. With the trigram
 * tokenizer a string matches wherever it occurs as a substring, as `LIKE '%term%'` did.
 */
export function quoteFtsTerm(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

function buildFilter(q: ParsedQuery): Filter {
  const sortColumn = SORT_COLUMNS[q.sort];
  const conditions: Condition[] = [];
  const params: Params = {};
  const compare = (column: string, op: '=' | '>=' | '<=', name: string, value: string): void => {
    conditions.push({
      sql: `${column} ${op} @${name}`,
      walk: `+${column} ${op} @${name}`,
      role: column === sortColumn ? 'sort' : 'other',
    });
    params[name] = value;
  };
  if (q.recordedFrom) compare('i.recorded_at_utc', '>=', 'from', new Date(q.recordedFrom).toISOString());
  if (q.recordedTo) compare('i.recorded_at_utc', '<=', 'to', new Date(q.recordedTo).toISOString());
  if (q.deviceId) compare('i.device_id', '=', 'device', q.deviceId);
  if (q.officerId) compare('i.officer_id', '=', 'officer', q.officerId);
  if (q.kind) compare('i.kind', '=', 'kind', q.kind);
  if (q.status) compare('i.status', '=', 'status', q.status);
  if (q.cameraModel) compare('i.model', '=', 'cameraModel', q.cameraModel);
  if (q.cameraSerial) compare('i.serial', '=', 'cameraSerial', q.cameraSerial);
  if (q.origin) compare('i.origin', '=', 'origin', q.origin);
  // Membership in a small set (a tag's items, a case's items) read from its own partial index;
  // `walk` tests each row of the sort index against the same set instead.
  const member = (set: string, name: string, value: string): void => {
    conditions.push({ sql: `i.id IN (${set})`, walk: `+i.id IN (${set})`, role: 'other' });
    params[name] = value;
  };
  if (q.violationCode) {
    member('SELECT item_id FROM tags WHERE code = @violationCode AND removed = 0', 'violationCode', q.violationCode);
  }
  if (q.caseId) {
    member('SELECT item_id FROM case_items WHERE case_id = @caseId AND removed_at IS NULL', 'caseId', q.caseId);
  }
  if (q.tagged) {
    // The tagged items as one set, read once from the partial index: a probe per row into it is
    // cheaper than an EXISTS subquery run for each of 100,000 rows.
    const tagged = 'SELECT item_id FROM tags WHERE removed = 0';
    const op = q.tagged === 'any' ? 'IN' : 'NOT IN';
    conditions.push({ sql: `i.id ${op} (${tagged})`, walk: `+i.id ${op} (${tagged})`, role: 'other' });
  }

  // Text goes last: SQLite tests conditions in the order written, and a column comparison read
  // from the index is cheaper than a probe into the match list or a LIKE over the whole row.
  const text = q.text?.trim().toLowerCase();
  let fts: string | null = null;
  if (text?.includes('\0')) {
    // SQLite's LIKE and FTS5 query parsers stop at U+0000, so such a term cannot be searched as
    // typed (LIKE would match everything before it). File names cannot hold one: nothing matches.
    conditions.push({ sql: '0', walk: '0', role: 'other' });
  } else if (text && [...text].length >= MIN_FTS_CHARS) {
    fts = quoteFtsTerm(text);
    const matches = '(SELECT rowid FROM items_fts WHERE items_fts MATCH @fts)';
    conditions.push({ sql: `i.rowid IN ${matches}`, walk: `+i.rowid IN ${matches}`, role: 'text' });
    params.fts = fts;
  } else if (text) {
    const like = `i.search_text LIKE @text ESCAPE '\\'`;
    conditions.push({ sql: like, walk: like, role: 'other' });
    params.text = `%${escapeLike(text)}%`;
  }
  return { conditions, params, fts };
}

function whereClause(parts: string[]): string {
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

function countOf(db: ReadableDB, sql: string, params: Params): number {
  return (db.prepare(sql).get(params) as { n: number }).n;
}

/** Items matching `conditions`; all of them, with none, from the count kept by migration 113's triggers. */
function countMatching(db: ReadableDB, conditions: string[], params: Params): number {
  if (conditions.length === 0) return countOf(db, 'SELECT n FROM item_count WHERE only = 1', {});
  return countOf(db, `SELECT count(*) AS n FROM items i ${whereClause(conditions)}`, params);
}

/**
 * One page of the library and the exact total that matches. Every value is a bound parameter;
 * column names come from the fixed tables in this file, never from input.
 *
 * A station has no planner statistics (nobody runs ANALYZE), so SQLite cannot tell a filter that
 * keeps 3% of the items from one that keeps 90%. The counts, which the answer needs anyway, can:
 * each query is then written so that the cheaper side drives it.
 */
export function queryLibrary(db: ReadableDB, q: ParsedQuery): LibraryPage {
  // One read snapshot, so the total and the page agree while an import is writing.
  return db.transaction(() => readPage(db, q))();
}

function readPage(db: ReadableDB, q: ParsedQuery): LibraryPage {
  const { conditions, params, fts } = buildFilter(q);
  // An estimate is enough for the choices below. Items are only ever added, so max(rowid) tracks
  // the count in one b-tree descent, where count(*) would read a whole index and push this
  // query's pages out of the cache.
  const itemCount = conditions.length ? countOf(db, 'SELECT coalesce(max(rowid), 0) AS n FROM items', {}) : 0;
  const textHits = fts ? countOf(db, 'SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH @fts', { fts }) : 0;
  const broadText = textHits > itemCount * BROAD_TEXT_SHARE;
  const counted = conditions.map((c) => (broadText && c.role === 'text' ? c.walk : c.sql));

  const total =
    q.tagged === 'none'
      ? countUntagged(db, q)
      : fts && conditions.length === 1
        ? textHits
        : countMatching(db, counted, params);
  if (total === 0 || q.offset >= total) return { items: [], total };

  const dense = total * total >= DENSE_MARGIN * (q.offset + q.limit) * itemCount;
  const paged = dense ? conditions.map((c) => (c.role === 'sort' ? c.sql : c.walk)) : counted;
  const direction = q.order === 'asc' ? 'ASC' : 'DESC';
  // The tiebreak runs the same way as the sort, so one index on (column, id) serves both orders.
  const order = `${SORT_COLUMNS[q.sort]} ${direction} NULLS LAST, i.id ${direction}`;
  // The page's rowids come from an index alone; only those rows are then read and joined, so an
  // OFFSET skips index entries instead of whole rows with their thumbnail joins. CROSS JOIN keeps
  // the page as the outer loop (https://sqlite.org/optoverview.html#manual_control_of_query_plans_using_cross_join).
  const rows = db
    .prepare(
      `WITH page AS MATERIALIZED (
         SELECT i.rowid AS rid FROM items i ${whereClause(paged)} ORDER BY ${order} LIMIT @limit OFFSET @offset
       )
       SELECT i.*, d.state AS thumbnail_state FROM page
       CROSS JOIN items i ON i.rowid = page.rid
       LEFT JOIN derived d ON d.item_id = i.id AND d.variant = 'thumbnail'
       ORDER BY ${order}`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as ItemRow[];
  return { items: rows.map(rowToSummary), total };
}

/**
 * Untagged items are most of a library, so counting them row by row probes the tagged set 100,000
 * times. Counted instead as the items the other filters keep minus those of them that are tagged:
 * the first count is what any unfiltered page pays, the second is driven by the (few) tags.
 */
function countUntagged(db: ReadableDB, q: ParsedQuery): number {
  const count = (tagged: ParsedQuery['tagged']): number => {
    const { conditions, params, fts } = buildFilter({ ...q, tagged });
    if (fts && conditions.length === 1) {
      return countOf(db, 'SELECT count(*) AS n FROM items_fts WHERE items_fts MATCH @fts', { fts });
    }
    return countMatching(
      db,
      conditions.map((c) => c.sql),
      params,
    );
  };
  return count(undefined) - count('any');
}

/**
 * The distinct devices and officers, ascending. A loose index scan: each step seeks the next
 * value above the last in the column's index, so the cost follows the number of distinct values
 * (dozens) instead of the number of items (a DISTINCT would read the whole index).
 */
export function libraryFacets(db: ReadableDB): LibraryFacets {
  const column = (name: 'device_id' | 'officer_id' | 'model' | 'serial'): string[] =>
    (
      db
        .prepare(
          `WITH RECURSIVE v(value) AS (
             SELECT min(${name}) FROM items
             UNION ALL
             SELECT (SELECT min(${name}) FROM items WHERE ${name} > v.value) FROM v WHERE v.value IS NOT NULL
           )
           SELECT value FROM v WHERE value IS NOT NULL`,
        )
        .all() as { value: string }[]
    ).map((r) => r.value);
  return {
    deviceIds: column('device_id'),
    officerIds: column('officer_id'),
    cameraModels: column('model'),
    cameraSerials: column('serial'),
  };
}

export type { LibraryQuery };

/**
 * Which of `ids` exist and pass the filter, in the order given. Driven from the ids (each a
 * primary-key lookup), so the cost follows the selection, not the library.
 */
export function matchingIds(
  db: ReadableDB,
  filter: Omit<ParsedQuery, 'sort' | 'order' | 'offset' | 'limit'>,
  ids: readonly string[],
): string[] {
  const { conditions, params } = buildFilter({ ...filter, sort: 'importedAt', order: 'desc', offset: 0, limit: 1 });
  const where = conditions.map((c) => c.sql);
  const rows = db
    .prepare(
      `SELECT i.id FROM json_each(@ids) AS picked
       CROSS JOIN items i ON i.id = picked.value
       ${whereClause(where)}
       ORDER BY picked.key`,
    )
    .all({ ...params, ids: JSON.stringify(ids) }) as { id: string }[];
  return rows.map((r) => r.id);
}
