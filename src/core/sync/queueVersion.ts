import type { Services } from '../api/services';
import { getOutboxVersion, insertOutboxVersion, type VersionKey } from './outboxRepo';

/**
 * Puts a sealed, approved version in the outbox, with its `sync.queued` custody entry; inside the
 * caller's transaction. Nothing happens when it is queued already. Called at enrolment for the
 * versions approved before it, by each sync pass for versions approved since, and by an approval
 * made while the station is enrolled.
 */
export function queueVersion(s: Pick<Services, 'db' | 'record' | 'now'>, key: VersionKey, actor: string): boolean {
  if (getOutboxVersion(s.db, key)) return false;
  const row = s.db
    .prepare(
      `SELECT c.number, v.tag_manifest_sha256 AS tagManifestSha256 FROM case_versions v JOIN cases c ON c.id = v.case_id
       WHERE v.case_id = ? AND v.version = ?`,
    )
    .get(key.caseId, key.version) as { number: string; tagManifestSha256: string } | undefined;
  if (!row) return false;
  const entry = s.record({
    actor,
    action: 'sync.queued',
    subject: key.caseId,
    sha256: null,
    details: { number: row.number, version: key.version, tagManifestSha256: row.tagManifestSha256 },
  });
  return insertOutboxVersion(s.db, key, entry.at);
}
