import { AppError } from '../../shared/errors';
import type { Services } from '../api/services';
import { inTransaction } from '../db/database';
import { markVersionQueued } from '../approval/versionSteps';
import { stationTimestamp } from '../util/time';
import { approvedNotQueued, getOutboxVersion, insertOutboxVersion, type VersionKey } from './outboxRepo';

/**
 * Puts an approved version in the outbox: the review step approved → queued (its `case.queue`
 * custody entry, approval/versionSteps.ts) and the outbox row, in one transaction. Nothing happens
 * when it is queued already. Called at enrolment for the versions approved before it, and by each
 * sync pass for versions approved since.
 */
export function queueVersion(
  s: Pick<Services, 'db' | 'record' | 'now' | 'stationKey'>,
  key: VersionKey,
  actor: string,
): boolean {
  if (getOutboxVersion(s.db, key)) return false;
  const approvalKey = { publicKeyPem: s.stationKey.publicKeyPem, fingerprint: s.stationKey.fingerprint };
  const version = markVersionQueued(s, { ...key, actor, approvalKey });
  return insertOutboxVersion(s.db, key, version.queuedAt ?? stationTimestamp(s.now()));
}

/**
 * Queues every approved version not yet in the outbox, each in its own transaction. A version
 * whose approval the custody log does not back, or the station key did not sign, (`approval.notOnRecord`) stays where it is and is
 * handed to `onRefused`; `check` lists it until someone looks. Returns the versions queued.
 */
export function queueApprovedVersions(
  s: Pick<Services, 'db' | 'record' | 'now' | 'stationKey'>,
  actor: string,
  onRefused: (key: VersionKey, error: AppError) => void,
): VersionKey[] {
  const queued: VersionKey[] = [];
  for (const key of approvedNotQueued(s.db)) {
    try {
      inTransaction(s.db, () => queueVersion(s, key, actor));
      queued.push(key);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'approval.notOnRecord') throw error;
      onRefused(key, error);
    }
  }
  return queued;
}
