import type { CheckpointVerdict } from '../../shared/custodySchemas';
import type { ChainVerdict } from '../../shared/schemas';
import type { ReadableDB } from '../db/database';
import type { HeadFileState } from './chainHead';
import { compareHead } from './compareHead';
import { GENESIS_HASH, hashCustodyEntry, iterateCustody } from './custodyLog';
import { ITEM_CREATING_ACTIONS } from './itemEntries';
import { describeProblem, listProblems, severityOf } from './problemsRepo';

/**
 * Walks the whole chain: sequence numbers without gaps, each `prev` equal to the hash before it,
 * each hash recomputed. Then, reading only:
 * - the head file must not disagree with the database (entries removed or replaced, head missing
 *   or unreadable); a head left behind by an interrupted run is only a note;
 * - every problem the engine recorded between the head and the database still counts, even if
 *   the head file has been put right since, and whether or not an admin acknowledged it;
 * - every signed checkpoint must verify (when checked by the caller);
 * - every record that names the entry that created it must find that entry, about that subject,
 *   and every entry that created an item must still find the item.
 */
export function verifyCustody(db: ReadableDB, head: HeadFileState, checkpoints?: CheckpointVerdict): ChainVerdict {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const headProblems = listProblems(db);
  const extra = { headProblems, ...(checkpoints ? { checkpoints } : {}) };
  const broken = (seq: number, problem: string): ChainVerdict => ({
    ok: false,
    entries: count,
    firstBroken: seq,
    problem,
    ...extra,
  });

  for (const entry of iterateCustody(db)) {
    count++;
    if (entry.seq !== expectedSeq) return broken(expectedSeq, `entry ${expectedSeq} is missing`);
    if (entry.prev !== prevHash) return broken(entry.seq, `entry ${entry.seq} does not follow the entry before it`);
    const { hash, ...rest } = entry;
    if (hashCustodyEntry(rest) !== hash) return broken(entry.seq, `entry ${entry.seq} was altered`);
    prevHash = hash;
    expectedSeq++;
  }

  // A recorded problem first: it was found before later appends could reuse the removed seqs.
  const recorded = headProblems.find((p) => p.severity === 'problem');
  if (recorded) return broken(recorded.firstSeq ?? 1, `${describeProblem(recorded)}; found ${recorded.detectedAt}`);
  const now = compareHead(db, head);
  if (now && severityOf(now.kind) === 'problem') {
    return broken(now.firstSeq ?? 1, describeProblem(now));
  }

  const failure = checkpoints?.failures[0];
  if (failure) return broken(Math.max(failure.seq, 1), failure.problem);

  const orphan = db
    .prepare(
      `SELECT i.custody_seq AS seq FROM items i LEFT JOIN custody c ON c.seq = i.custody_seq
       WHERE c.seq IS NULL OR c.subject IS NOT i.id ORDER BY i.custody_seq LIMIT 1`,
    )
    .get() as { seq: number } | undefined;
  if (orphan) return broken(orphan.seq, `entry ${orphan.seq}, which recorded an item, is missing or altered`);

  const missingItems = entriesWithoutItem(db);
  const firstMissing = missingItems[0];
  if (firstMissing) {
    return {
      ...broken(firstMissing.seq, `entry ${firstMissing.seq} created item ${firstMissing.itemId}, which is gone`),
      missingItems,
    };
  }

  return { ok: true, entries: count, firstBroken: null, problem: null, ...extra };
}

/** Entries that created an item (an import, a clip, a still) whose item row is gone. */
export function entriesWithoutItem(db: ReadableDB): { seq: number; itemId: string }[] {
  const actions = ITEM_CREATING_ACTIONS.map(() => '?').join(', ');
  return db
    .prepare(
      `SELECT c.seq, c.subject AS itemId FROM custody c LEFT JOIN items i ON i.id = c.subject
         WHERE c.action IN (${actions}) AND i.id IS NULL ORDER BY c.seq`,
    )
    .all(...ITEM_CREATING_ACTIONS) as { seq: number; itemId: string }[];
}
