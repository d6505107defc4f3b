import type { ReadableDB } from '../db/database';
import type { ChainHead, HeadFileState } from './chainHead';
import { GENESIS_HASH, lastCustody } from './custodyLog';
import type { ProblemDraft } from './problemsRepo';

const hashAt = (db: ReadableDB, seq: number): string | null =>
  seq === 0
    ? GENESIS_HASH
    : ((db.prepare('SELECT hash FROM custody WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash ?? null);

/**
 * Whether a head known earlier (from the file, or written by this engine) is still in the chain:
 * the database must reach its seq with the same hash. Two indexed reads, so it can run before
 * every append. Returns the loss it finds, or null.
 */
export function lostHead(db: ReadableDB, head: ChainHead, headText: string | null = null): ProblemDraft | null {
  const last = lastCustody(db);
  const dbSeq = last?.seq ?? 0;
  const base = { headSeq: head.seq, headHash: head.hash, headText, dbSeq, dbHash: last?.hash ?? null };
  if (head.seq > dbSeq) return { ...base, kind: 'entriesRemoved', firstSeq: dbSeq + 1, lastSeq: head.seq };
  if (hashAt(db, head.seq) !== head.hash) {
    return { ...base, kind: 'entriesReplaced', firstSeq: Math.max(head.seq, 1), lastSeq: head.seq };
  }
  return null;
}

/**
 * Compares the head file with the database. Removed or replaced entries, a missing head (for a
 * chain that has entries) and an unreadable head are problems. A head behind the database whose
 * newer entries chain from it, one by one, is what a crash between a commit and the head write
 * leaves: a note, told apart from truncation.
 */
export function compareHead(db: ReadableDB, found: HeadFileState): ProblemDraft | null {
  const last = lastCustody(db);
  const dbSeq = last?.seq ?? 0;
  const none = { headSeq: null, headHash: null, headText: null, dbSeq, dbHash: last?.hash ?? null };
  if (found.state === 'missing') {
    return dbSeq === 0 ? null : { ...none, kind: 'headMissing', firstSeq: null, lastSeq: null };
  }
  if (found.state === 'unreadable') {
    return { ...none, kind: 'headUnreadable', headText: found.text, firstSeq: null, lastSeq: null };
  }
  const { head } = found;
  const lost = lostHead(db, head);
  if (lost) return lost;
  if (head.seq === dbSeq) return null;
  const base = { headSeq: head.seq, headHash: head.hash, headText: null, dbSeq, dbHash: last?.hash ?? null };
  let expectedSeq = head.seq + 1;
  let prev = head.hash;
  const newer = db
    .prepare('SELECT seq, prev, hash FROM custody WHERE seq > ? ORDER BY seq')
    .iterate(head.seq) as Iterable<{ seq: number; prev: string; hash: string }>;
  for (const entry of newer) {
    if (entry.seq !== expectedSeq || entry.prev !== prev) {
      return { ...base, kind: 'entriesReplaced', firstSeq: expectedSeq, lastSeq: dbSeq };
    }
    prev = entry.hash;
    expectedSeq++;
  }
  return { ...base, kind: 'headBehind', firstSeq: head.seq + 1, lastSeq: dbSeq };
}
