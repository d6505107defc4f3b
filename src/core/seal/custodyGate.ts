import { AppError } from '../../shared/errors';
import { listProblems } from '../custody/problemsRepo';
import type { ReadableDB } from '../db/database';

/**
 * A package anchors the custody chain: its chain head, and the checkpoint an export carries, say
 * "the station's record was this, and whole". While the station itself has found the chain
 * shortened or rewritten (a custody problem no administrator has reviewed yet, issue 10 §2), it
 * must not say so to a court: sealing and exporting wait until an admin has looked at the log and
 * acknowledged each problem (itself a custody entry). Notes (`headBehind`, a crash between a commit
 * and the head write) do not stop anything; they are not problems.
 */
export function refuseWhileCustodyProblems(
  db: ReadableDB,
  code: 'seal.custodyProblem' | 'export.custodyProblem',
): void {
  const open = listProblems(db, { open: true });
  if (open.length > 0) {
    throw new AppError(code, { count: open.length, problems: open.map((p) => p.id).join(',') });
  }
}
