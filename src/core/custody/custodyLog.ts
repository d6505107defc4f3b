import { createHash } from 'node:crypto';
import type { CustodyEntry } from '../../shared/schemas';
import { canonicalJson } from '../util/canonicalJson';
import type { ReadableDB, WritableDB } from '../db/database';
import { officerNumberOf } from '../accounts/accountsRepo';

export const GENESIS_HASH = '0'.repeat(64);

export interface CustodyInput {
  at: string;
  actor: string;
  station: string;
  action: string;
  subject: string | null;
  sha256: string | null;
  details: Record<string, unknown>;
}

interface CustodyRow {
  seq: number;
  at: string;
  actor: string;
  station: string;
  action: string;
  subject: string | null;
  sha256: string | null;
  details: string;
  prev: string;
  hash: string;
}

/**
 * The hash of an entry covers every field but the hash itself, in canonical JSON, so an edited,
 * removed or reordered entry breaks the chain and anyone can recompute it with standard tools.
 */
export function hashCustodyEntry(entry: Omit<CustodyEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

function rowToEntry(row: CustodyRow): CustodyEntry {
  return { ...row, details: JSON.parse(row.details) as Record<string, unknown> };
}

/**
 * Appends one entry. Call it inside the transaction that makes the change it records, so that the
 * change and its record are committed together or not at all.
 *
 * An actor with an officer number (警号) has it written into the entry's details as
 * `actorOfficerNumber`, as it stood at that moment: the entry is hashed, so later changes to the
 * account never alter what older entries say.
 */
export function appendCustody(db: WritableDB, input: CustodyInput): CustodyEntry {
  const last = db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const officer = officerNumberOf(db, input.actor);
  const unhashed: Omit<CustodyEntry, 'hash'> = {
    seq: (last?.seq ?? 0) + 1,
    prev: last?.hash ?? GENESIS_HASH,
    ...input,
    details: officer ? { ...input.details, actorOfficerNumber: officer } : input.details,
  };
  const entry: CustodyEntry = { ...unhashed, hash: hashCustodyEntry(unhashed) };
  db.prepare(
    `INSERT INTO custody (seq, at, actor, station, action, subject, sha256, details, prev, hash)
     VALUES (@seq, @at, @actor, @station, @action, @subject, @sha256, @details, @prev, @hash)`,
  ).run({ ...entry, details: JSON.stringify(entry.details) });
  return entry;
}

/**
 * What an item's custody panel needs beside the entries about the item itself: the clips and
 * stills cut from it (their `*.create` / `*.duplicate` entries name the new item, or the one a
 * repeated cut returned) and its additions to and removals from cases (they name the case).
 * Found through the rows that point back at the entries, so no JSON in `details` is searched.
 */
const RELATED_TO_ITEM = `
  subject = @subject
  OR seq IN (SELECT custody_seq FROM derivations WHERE source_item_id = @subject)
  OR (action IN ('clip.duplicate', 'still.duplicate')
      AND subject IN (SELECT item_id FROM derivations WHERE source_item_id = @subject)
      AND json_extract(details, '$.sourceItemId') = @subject)
  OR seq IN (SELECT added_seq FROM case_items WHERE item_id = @subject)
  OR seq IN (SELECT removed_seq FROM case_items WHERE item_id = @subject AND removed_seq IS NOT NULL)`;

export function listCustody(
  db: ReadableDB,
  opts: { subject?: string | undefined; related?: boolean | undefined; offset: number; limit: number },
): { entries: CustodyEntry[]; total: number } {
  const where =
    opts.subject === undefined ? '' : opts.related ? `WHERE ${RELATED_TO_ITEM}` : 'WHERE subject = @subject';
  const params = { subject: opts.subject, offset: opts.offset, limit: opts.limit };
  const total = (db.prepare(`SELECT count(*) AS n FROM custody ${where}`).get(params) as { n: number }).n;
  const rows = db
    .prepare(`SELECT * FROM custody ${where} ORDER BY seq LIMIT @limit OFFSET @offset`)
    .all(params) as CustodyRow[];
  return { entries: rows.map(rowToEntry), total };
}

export function custodyBySeqs(db: ReadableDB, seqs: number[]): CustodyEntry[] {
  const stmt = db.prepare('SELECT * FROM custody WHERE seq = ?');
  return seqs.map((s) => stmt.get(s) as CustodyRow | undefined).flatMap((r) => (r ? [rowToEntry(r)] : []));
}

export function* iterateCustody(db: ReadableDB): Generator<CustodyEntry> {
  for (const row of db.prepare('SELECT * FROM custody ORDER BY seq').iterate() as Iterable<CustodyRow>) {
    yield rowToEntry(row);
  }
}

export function lastCustody(db: ReadableDB): { seq: number; hash: string } | null {
  return (
    (db.prepare('SELECT seq, hash FROM custody ORDER BY seq DESC LIMIT 1').get() as
      { seq: number; hash: string } | undefined) ?? null
  );
}
