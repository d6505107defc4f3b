import { AppError } from '../../shared/errors';
import { approvalStatementText } from '../approval/approvalStatement';
import { refuseUnlessMayReview } from '../approval/reviewRules';
import { snapshotOf } from '../approval/snapshot';
import { diffVersions } from '../approval/versionDiff';
import { markVersionApproved, markVersionRejected } from '../approval/versionSteps';
import { findCase, type CaseRow } from '../cases/casesRepo';
import { inTransaction } from '../db/database';
import { getCaseVersionRow, listCaseVersions, type CaseVersionRow } from '../seal/caseVersionsRepo';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type ApprovalMethods = 'cases.approve' | 'cases.reject' | 'cases.versionDiff';

/**
 * The supervisor's review of sealed versions (`approval/`): approve (a signed statement exports
 * carry), reject with a reason (the case reopens as the next draft), and the differences from the
 * previous version to review by. Who may review is `approval/reviewRules.ts`.
 */
export function approvalHandlers(s: Services): Pick<Handlers, ApprovalMethods> {
  const caseOrThrow = (ref: string): CaseRow => {
    const row = findCase(s.db, ref);
    if (!row) throw new AppError('case.notFound', { ref });
    return row;
  };
  /** The version asked for, or the latest sealed one. */
  const versionOrThrow = (c: CaseRow, version: number | undefined): CaseVersionRow => {
    const row = getCaseVersionRow(s.db, c.id, version);
    if (row) return row;
    if (listCaseVersions(s.db, c.id).length === 0) throw new AppError('case.notSealed', { number: c.number });
    throw new AppError('case.versionNotFound', { number: c.number, version: version ?? 0 });
  };

  return {
    'cases.approve': async (input, call) => {
      const actor = actorOf(call);
      const c = caseOrThrow(input.caseId);
      const before = versionOrThrow(c, input.version);
      // Refused before anything is signed; checked again in the transaction that records it, as
      // another approval or a rejection may land while the key signs.
      refuseUnlessMayReview(s.db, actor, before);
      const approvedAt = stationTimestamp(s.now());
      const statementText = approvalStatementText(before, {
        approvedBy: actor.name,
        approvedAt,
        stationId: s.stationId,
        keyFingerprint: s.stationKey.fingerprint,
      });
      const signature = (await s.stationKey.sign(Buffer.from(statementText, 'utf8'))).toString('base64');
      const approved = inTransaction(s.db, () => {
        const row = versionOrThrow(c, before.version);
        refuseUnlessMayReview(s.db, actor, row);
        return markVersionApproved(s, {
          caseId: c.id,
          version: row.version,
          actor: actor.name,
          approvedAt,
          statementText,
          signature,
        });
      });
      s.emit('cases.changed', { caseId: c.id });
      return approved;
    },
    'cases.reject': (input, call) => {
      const actor = actorOf(call);
      const rejected = inTransaction(s.db, () => {
        const c = caseOrThrow(input.caseId);
        const row = versionOrThrow(c, input.version);
        refuseUnlessMayReview(s.db, actor, row);
        return markVersionRejected(s, { caseId: c.id, version: row.version, actor: actor.name, reason: input.reason });
      });
      s.emit('cases.changed', { caseId: rejected.caseId });
      return rejected;
    },
    'cases.versionDiff': (input) => {
      const c = caseOrThrow(input.caseId);
      const current = versionOrThrow(c, input.version);
      // Versions are numbered without gaps: version n was reopened (or rejected) into the draft
      // that became n + 1, so the previous sealed version is n − 1.
      const previous = current.version > 1 ? getCaseVersionRow(s.db, c.id, current.version - 1) : null;
      return diffVersions(previous ? snapshotOf(previous) : null, snapshotOf(current));
    },
  };
}
