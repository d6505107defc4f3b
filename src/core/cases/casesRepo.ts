import { z } from 'zod';
import {
  CaseParty,
  type CaseListState,
  type CaseState,
  type CaseSummary,
  type CaseVersionState,
} from '../../shared/reviewSchemas';
import type { ReadableDB, WritableDB } from '../db/database';
import { caseNumberScope, formatCaseNumber, type CaseNumberContext } from './caseNumber';

/** Cases and their running numbers. A case's items live in caseItemsRepo. */

export interface CaseRow {
  id: string;
  number: string;
  title: string;
  place: string;
  occurred_at: string | null;
  parties: string;
  notes: string;
  /** The column: whether the current version is a draft or sealed (migration 90). */
  state: 'draft' | 'sealed';
  created_by: string;
  created_at: string;
  updated_at: string;
  custody_seq: number;
  version: number;
  item_count: number;
  sealed_versions: number;
  /** Draft, or the current sealed version's review state (`CASE_STATE`). */
  case_state: CaseState;
  /** The review state of the newest sealed version. */
  last_version_state: CaseVersionState | null;
}

/** The fields of a case a person edits. */
export interface CaseFields {
  title: string;
  place: string;
  occurredAt: string | null;
  parties: CaseParty[];
  notes: string;
}

const Parties = z.array(CaseParty);

const CURRENT_VERSION_STATE = `(SELECT v.state FROM case_versions v WHERE v.case_id = c.id AND v.version = c.version)`;
/**
 * A case's state as the list shows and filters it: draft, or its current sealed version's review
 * state. A rejection reopens the case, so a sealed case's current version is never rejected; a
 * row edited outside the station could say otherwise (or name no version), and the case then
 * reads as sealed: the sealed-package guard and `check` are where such an edit is reported.
 */
const CASE_STATE = `(CASE WHEN c.state = 'draft' THEN 'draft'
  ELSE coalesce((SELECT s.state FROM (SELECT ${CURRENT_VERSION_STATE} AS state) s
    WHERE s.state IN ('approved', 'queued', 'synced', 'refused')), 'sealed') END)`;
const LAST_VERSION_STATE = `(SELECT v.state FROM case_versions v WHERE v.case_id = c.id ORDER BY v.version DESC LIMIT 1)`;

/** Everything `cases.list` text search may match, lowercased once at write time. */
function searchTextOf(number: string, f: CaseFields): string {
  return [number, f.title, f.place, ...f.parties.flatMap((p) => [p.name, p.detail])]
    .filter((v) => v.length > 0)
    .join('\n')
    .toLowerCase();
}

const SELECT_CASE = `SELECT c.*,
  (SELECT count(*) FROM case_items ci WHERE ci.case_id = c.id AND ci.removed_at IS NULL) AS item_count,
  (SELECT count(*) FROM case_versions cv WHERE cv.case_id = c.id) AS sealed_versions,
  ${CASE_STATE} AS case_state,
  ${LAST_VERSION_STATE} AS last_version_state
  FROM cases c`;

export function rowToCaseSummary(row: CaseRow): CaseSummary {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    place: row.place,
    occurredAt: row.occurred_at,
    state: row.case_state,
    version: row.version,
    sealedVersions: row.sealed_versions,
    lastVersionState: row.last_version_state,
    itemCount: row.item_count,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function rowToCaseFields(row: CaseRow): CaseFields {
  return {
    title: row.title,
    place: row.place,
    occurredAt: row.occurred_at,
    parties: Parties.parse(JSON.parse(row.parties)),
    notes: row.notes,
  };
}

/** A case by its id, else by its number; null when neither matches. */
export function findCase(db: ReadableDB, ref: string): CaseRow | null {
  const byId = db.prepare(`${SELECT_CASE} WHERE c.id = ?`).get(ref) as CaseRow | undefined;
  if (byId) return byId;
  return (db.prepare(`${SELECT_CASE} WHERE c.number = ?`).get(ref) as CaseRow | undefined) ?? null;
}

export function caseNumberTaken(db: ReadableDB, number: string): boolean {
  return db.prepare('SELECT 1 FROM cases WHERE number = ?').get(number) !== undefined;
}

/**
 * The next running number of a scope. Numbers are never handed out twice: the counter only
 * rises, in the transaction that inserts the case.
 */
export function nextCaseSequence(db: WritableDB, scope: string): number {
  const row = db
    .prepare(
      `INSERT INTO case_numbers (scope, last) VALUES (?, 1)
       ON CONFLICT (scope) DO UPDATE SET last = last + 1 RETURNING last`,
    )
    .get(scope) as { last: number };
  return row.last;
}

export function insertCase(
  db: WritableDB,
  c: CaseFields & { id: string; number: string; createdBy: string; createdAt: string; custodySeq: number },
): void {
  db.prepare(
    `INSERT INTO cases (id, number, title, place, occurred_at, parties, notes, state, created_by, created_at,
       updated_at, custody_seq, search_text)
     VALUES (@id, @number, @title, @place, @occurredAt, @parties, @notes, 'draft', @createdBy, @createdAt,
       @createdAt, @custodySeq, @searchText)`,
  ).run({ ...c, parties: JSON.stringify(c.parties), searchText: searchTextOf(c.number, c) });
}

export function updateCaseFields(db: WritableDB, id: string, number: string, f: CaseFields, updatedAt: string): void {
  db.prepare(
    `UPDATE cases SET title = @title, place = @place, occurred_at = @occurredAt, parties = @parties, notes = @notes,
       updated_at = @updatedAt, search_text = @searchText WHERE id = @id`,
  ).run({ ...f, id, updatedAt, parties: JSON.stringify(f.parties), searchText: searchTextOf(number, f) });
}

export function touchCase(db: WritableDB, id: string, updatedAt: string): void {
  db.prepare('UPDATE cases SET updated_at = ? WHERE id = ?').run(updatedAt, id);
}

/** `\`, `%` and `_` are literal in a search term. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Cases newest first, filtered by text (number, title, place, parties) and state: `draft`, a
 * sealed current version's review state, or `rejected` for drafts whose last sealed version was
 * rejected (sent back for correction).
 */
export function listCases(
  db: ReadableDB,
  q: { text?: string | undefined; state?: CaseListState | undefined; offset: number; limit: number },
): { cases: CaseSummary[]; total: number } {
  const conditions: string[] = [];
  const text = q.text?.trim();
  if (text) conditions.push(`c.search_text LIKE @pattern ESCAPE '\\'`);
  if (q.state === 'draft') conditions.push(`c.state = 'draft'`);
  else if (q.state === 'rejected') conditions.push(`c.state = 'draft' AND ${LAST_VERSION_STATE} = 'rejected'`);
  else if (q.state) conditions.push(`${CASE_STATE} = @state`);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const params = { pattern: text ? likePattern(text) : null, state: q.state ?? null, limit: q.limit, offset: q.offset };
  const total = (db.prepare(`SELECT count(*) AS n FROM cases c ${where}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`${SELECT_CASE} ${where} ORDER BY c.created_at DESC, c.rowid DESC LIMIT @limit OFFSET @offset`)
    .all(params) as CaseRow[];
  return { cases: rows.map(rowToCaseSummary), total };
}

/**
 * The next free number in the station's format, taken in the caller's transaction. Should an
 * earlier format have produced the same text, the sequence moves on until the number is free.
 */
export function allocateCaseNumber(db: WritableDB, format: string, ctx: CaseNumberContext): string {
  const scope = caseNumberScope(format, ctx);
  for (;;) {
    const number = formatCaseNumber(format, ctx, nextCaseSequence(db, scope));
    if (!caseNumberTaken(db, number)) return number;
  }
}
