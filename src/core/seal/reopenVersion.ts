import type { WritableDB } from '../db/database';
import { markVersionReopened, setCaseState } from './caseVersionsRepo';

/**
 * Reopening: sealed version n is marked reopened and version n + 1 becomes the case's draft, with
 * the same items (a case's items are its current memberships; sealing froze a copy). The caller
 * has appended the custody entry (`case.reopen`, or `case.reject` for a rejection) in the same
 * transaction and passes its seq. The sealed version's package is never touched.
 */
export function reopenAsNextDraft(
  db: WritableDB,
  r: { caseId: string; version: number; by: string; at: string; reason: string; seq: number },
): number {
  markVersionReopened(db, r);
  return startNextDraft(db, r);
}

/**
 * Version n + 1 as the case's draft, once version n's row says it was reopened (a rejection sets
 * its reopen columns in the same update as its state, which the table's CHECK requires).
 */
export function startNextDraft(db: WritableDB, r: { caseId: string; version: number; at: string }): number {
  const next = r.version + 1;
  setCaseState(db, { caseId: r.caseId, state: 'draft', version: next, updatedAt: r.at });
  return next;
}
