import type { Services } from '../api/services';
import { markVersionQueued } from '../approval/versionSteps';
import { stationTimestamp } from '../util/time';
import { getOutboxVersion, insertOutboxVersion, type VersionKey } from './outboxRepo';

/**
 * Puts an approved version in the outbox: the review step approved → queued (its `case.queue`
 * custody entry, approval/versionSteps.ts) and the outbox row, in one transaction. Nothing happens
 * when it is queued already. Called at enrolment for the versions approved before it, and by each
 * sync pass for versions approved since.
 */
export function queueVersion(s: Pick<Services, 'db' | 'record' | 'now'>, key: VersionKey, actor: string): boolean {
  if (getOutboxVersion(s.db, key)) return false;
  const version = markVersionQueued(s, { ...key, actor });
  return insertOutboxVersion(s.db, key, version.queuedAt ?? stationTimestamp(s.now()));
}
