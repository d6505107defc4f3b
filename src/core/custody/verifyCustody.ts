import type { ChainVerdict } from '../../shared/schemas';
import type { ReadableDB } from '../db/database';
import { GENESIS_HASH, hashCustodyEntry, iterateCustody } from './custodyLog';
import type { ChainHead } from './chainHead';

/**
 * Walks the whole chain: sequence numbers without gaps, each `prev` equal to the hash before it,
 * each hash recomputed. Then the head kept outside the database must match the newest entry, and
 * every record that names the entry that created it must find that entry, about that subject.
 */
export function verifyCustody(db: ReadableDB, head: ChainHead | null): ChainVerdict {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const broken = (seq: number, problem: string): ChainVerdict => ({
    ok: false,
    entries: count,
    firstBroken: seq,
    problem,
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

  const newest = expectedSeq - 1;
  if (head) {
    if (head.seq > newest) return broken(newest + 1, `entries ${newest + 1}–${head.seq} were removed`);
    if (head.seq > 0) {
      const at = db.prepare('SELECT hash FROM custody WHERE seq = ?').get(head.seq) as { hash: string } | undefined;
      if (!at || at.hash !== head.hash) return broken(head.seq, `entry ${head.seq} differs from the recorded head`);
    }
  } else if (newest > 0) {
    return broken(1, 'the chain head record is missing');
  }

  const orphan = db
    .prepare(
      `SELECT i.custody_seq AS seq FROM items i LEFT JOIN custody c ON c.seq = i.custody_seq
       WHERE c.seq IS NULL OR c.subject IS NOT i.id ORDER BY i.custody_seq LIMIT 1`,
    )
    .get() as { seq: number } | undefined;
  if (orphan) return broken(orphan.seq, `entry ${orphan.seq}, which recorded an item, is missing or altered`);

  return { ok: true, entries: count, firstBroken: null, problem: null };
}
