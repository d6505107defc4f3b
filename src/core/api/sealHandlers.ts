import { AppError } from '../../shared/errors';
import { findCase } from '../cases/casesRepo';
import { inTransaction } from '../db/database';
import { getCaseVersion, listCaseVersions } from '../seal/caseVersionsRepo';
import { reopenAsNextDraft } from '../seal/reopenVersion';
import type { SealDesk } from '../seal/sealDesk';
import { stationTimestamp } from '../util/time';
import { caseDetail } from './caseHandlers';
import { actorOf, type Handlers, type Services } from './services';

type SealMethods = 'cases.seal' | 'cases.reopen' | 'cases.versions';

/**
 * Sealing and reopening. Any role seals (reviewers finish their cases); the account that sealed
 * the version, a supervisor or an admin reopens it, with a reason on the record.
 */
export function sealHandlers(s: Services, desk: SealDesk): Pick<Handlers, SealMethods> {
  return {
    'cases.seal': (input, call) => desk.seal(input.caseId, actorOf(call).name),
    'cases.versions': (input) => {
      const row = findCase(s.db, input.caseId);
      if (!row) throw new AppError('case.notFound', { ref: input.caseId });
      return listCaseVersions(s.db, row.id);
    },
    'cases.reopen': (input, call) => {
      const actor = actorOf(call);
      const caseId = inTransaction(s.db, () => {
        const row = findCase(s.db, input.caseId);
        if (!row) throw new AppError('case.notFound', { ref: input.caseId });
        // A draft that follows sealed versions (already reopened, or being sealed right now) has
        // nothing to reopen; saying it has no sealed version would read as if a seal were lost.
        if (row.state === 'draft' && listCaseVersions(s.db, row.id).length > 0)
          throw new AppError('case.alreadyDraft', { number: row.number, version: row.version });
        const sealed = row.state === 'sealed' ? getCaseVersion(s.db, row.id, row.version) : null;
        if (!sealed) throw new AppError('case.notSealed', { number: row.number });
        if (actor.role === 'reviewer' && actor.name !== sealed.sealedBy) {
          throw new AppError('auth.forbidden', { method: 'cases.reopen' });
        }
        const at = stationTimestamp(s.now());
        const next = sealed.version + 1;
        const entry = s.record({
          actor: actor.name,
          action: 'case.reopen',
          subject: row.id,
          sha256: null,
          details: { number: row.number, reopenedVersion: sealed.version, newVersion: next, reason: input.reason },
        });
        reopenAsNextDraft(s.db, {
          caseId: row.id,
          version: sealed.version,
          by: actor.name,
          at,
          reason: input.reason,
          seq: entry.seq,
        });
        return row.id;
      });
      s.emit('cases.changed', { caseId });
      return caseDetail(s, caseId);
    },
  };
}
