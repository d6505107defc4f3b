import { join } from 'node:path';
import type { VerifyReport } from '../../shared/sealSchemas';
import type { ReadableDB } from '../db/database';
import { openQuietly, STATION_DB_FILE } from '../keys/knownKeys';
import { readStationId } from '../station/stationRepo';

/**
 * An exported package carries a checkpoint its station signed: the chain's entry `seq` had hash
 * `hash` when the copy left. Without the key nobody can forge a later checkpoint, but someone who
 * can write the data directory can cut the chain back to an earlier one (removing the newer
 * checkpoints with it), and the station alone then verifies again. A copy that left before the cut
 * still names the entry, so verifying it against the station shows the cut: the station's chain
 * must still hold that entry with that hash (and, the chain being hashed, everything before it).
 */
export type AnchorVerdict =
  | { kind: 'otherStation' }
  | { kind: 'held'; seq: number }
  | { kind: 'missing'; seq: number; stationNewest: number }
  | { kind: 'different'; seq: number; stationHash: string };

export function checkStationAnchor(
  db: ReadableDB,
  stationId: string,
  point: { stationId: string; seq: number; hash: string },
): AnchorVerdict {
  if (point.stationId !== stationId) return { kind: 'otherStation' };
  const row = db.prepare('SELECT hash FROM custody WHERE seq = ?').get(point.seq) as { hash: string } | undefined;
  if (!row) {
    const newest = db.prepare('SELECT MAX(seq) AS seq FROM custody').get() as { seq: number | null };
    return { kind: 'missing', seq: point.seq, stationNewest: newest.seq ?? 0 };
  }
  if (row.hash !== point.hash) return { kind: 'different', seq: point.seq, stationHash: row.hash };
  return { kind: 'held', seq: point.seq };
}

/**
 * The report with the station's verdict on the package's checkpoint: a chain that no longer holds
 * the entry, or holds another one in its place, fails the package's `checkpoint` check (the package
 * is as it left; the station is not). A package of another station, or one without a verified
 * checkpoint, is returned as it was.
 */
export function withStationAnchor(report: VerifyReport, db: ReadableDB, stationId: string): VerifyReport {
  const cp = report.checkpoint;
  if (!cp?.verified) return report;
  const verdict = checkStationAnchor(db, stationId, cp);
  if (verdict.kind === 'otherStation' || verdict.kind === 'held') return report;
  const detail =
    verdict.kind === 'missing'
      ? `The package's signed checkpoint names custody entry ${verdict.seq}, but this station's chain ends at entry ${verdict.stationNewest}: entries were removed from the station after the package left.`
      : `The package's signed checkpoint names custody entry ${verdict.seq} with hash ${cp.hash}, but this station's entry ${verdict.seq} has hash ${verdict.stationHash}: the station's chain was rewritten after the package left.`;
  return {
    ...report,
    ok: false,
    checks: report.checks.map((c) => (c.name === 'checkpoint' ? { ...c, ok: false } : c)),
    problems: [...report.problems, { path: 'seal/custody-checkpoint.json', kind: 'checkpoint', detail }],
  };
}

/**
 * `verify --data DIR`: the same verdict read from a station's database without an engine and
 * without writing anything (the database is opened as `readKnownKeys` opens it).
 */
export async function withStationAnchorOf(dataDir: string, report: VerifyReport): Promise<VerifyReport> {
  if (!report.checkpoint?.verified) return report;
  const db = await openQuietly(join(dataDir, STATION_DB_FILE), undefined);
  if (!db) return report;
  try {
    const hasCustody = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'custody'").get();
    const stationId = hasCustody ? readStationId(db) : null;
    return stationId ? withStationAnchor(report, db, stationId) : report;
  } finally {
    db.close();
  }
}
