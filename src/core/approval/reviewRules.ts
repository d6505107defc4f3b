import { AppError } from '../../shared/errors';
import type { Account } from '../../shared/schemas';
import type { ReadableDB } from '../db/database';
import type { CaseVersionRow } from '../seal/caseVersionsRepo';
import { firstAuthoringEntry } from './authorship';
import { snapshotOf } from './snapshot';

/**
 * Who may approve or reject a sealed version, checked in the engine for every host: a supervisor
 * or an admin (`approval.notSupervisor`), of a version still waiting for review
 * (`approval.superseded` once the case was reopened past it, `approval.wrongState` once
 * reviewed), which they neither sealed (`approval.ownSeal`) nor edited (`approval.ownEdit`, the
 * rule in `authorship.ts`). Called before the approval is signed and again inside the
 * transaction that records it.
 */
export function refuseUnlessMayReview(db: ReadableDB, actor: Account, row: CaseVersionRow): void {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') throw new AppError('approval.notSupervisor');
  const where = { number: row.number, version: row.version };
  if (row.state === 'sealed' && row.reopen_seq !== null)
    throw new AppError('approval.superseded', { ...where, next: row.version + 1 });
  if (row.state !== 'sealed') throw new AppError('approval.wrongState', { ...where, state: row.state });
  if (row.sealed_by === actor.name) throw new AppError('approval.ownSeal', where);
  const edited = firstAuthoringEntry(db, {
    caseId: row.case_id,
    itemIds: snapshotOf(row).items.map((item) => item.id),
    upToSeq: row.seal_seq,
    actor: actor.name,
  });
  if (edited) throw new AppError('approval.ownEdit', { ...where, seq: edited.seq, action: edited.action });
}
