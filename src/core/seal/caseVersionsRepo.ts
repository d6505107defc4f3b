import type { CaseVersion } from '../../shared/sealSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/** Sealed case versions (`case_versions`, migration 40): written once at sealing, reopened once. */

interface CaseVersionRow {
  case_id: string;
  number: string;
  version: number;
  state: 'sealed';
  snapshot: string;
  tag_manifest_sha256: string;
  package_name: string;
  payload_bytes: number;
  item_count: number;
  sealed_by: string;
  sealed_at: string;
  seal_seq: number;
  reopened_by: string | null;
  reopened_at: string | null;
  reopen_reason: string | null;
}

function rowToCaseVersion(row: CaseVersionRow): CaseVersion {
  return {
    caseId: row.case_id,
    caseNumber: row.number,
    version: row.version,
    state: row.state,
    sealedBy: row.sealed_by,
    sealedAt: row.sealed_at,
    tagManifestSha256: row.tag_manifest_sha256,
    packageName: row.package_name,
    itemCount: row.item_count,
    payloadBytes: row.payload_bytes,
    reopenedBy: row.reopened_by,
    reopenedAt: row.reopened_at,
    reopenReason: row.reopen_reason,
  };
}

const SELECT_VERSION = `SELECT v.*, c.number FROM case_versions v JOIN cases c ON c.id = v.case_id`;

export function listCaseVersions(db: ReadableDB, caseId: string): CaseVersion[] {
  const rows = db.prepare(`${SELECT_VERSION} WHERE v.case_id = ? ORDER BY v.version`).all(caseId) as CaseVersionRow[];
  return rows.map(rowToCaseVersion);
}

/** A sealed version, or the latest one when `version` is absent; null when there is none. */
export function getCaseVersion(db: ReadableDB, caseId: string, version?: number): CaseVersion | null {
  const row = (
    version === undefined
      ? db.prepare(`${SELECT_VERSION} WHERE v.case_id = ? ORDER BY v.version DESC LIMIT 1`).get(caseId)
      : db.prepare(`${SELECT_VERSION} WHERE v.case_id = ? AND v.version = ?`).get(caseId, version)
  ) as CaseVersionRow | undefined;
  return row ? rowToCaseVersion(row) : null;
}

export function packageNamesOfVersions(db: ReadableDB): Set<string> {
  const rows = db.prepare('SELECT package_name FROM case_versions').all() as { package_name: string }[];
  return new Set(rows.map((r) => r.package_name));
}

export function insertCaseVersion(
  db: WritableDB,
  v: {
    caseId: string;
    version: number;
    snapshot: string;
    tagManifestSha256: string;
    packageName: string;
    payloadBytes: number;
    itemCount: number;
    sealedBy: string;
    sealedAt: string;
    sealSeq: number;
  },
): void {
  db.prepare(
    `INSERT INTO case_versions (case_id, version, state, snapshot, tag_manifest_sha256, package_name, payload_bytes,
       item_count, sealed_by, sealed_at, seal_seq)
     VALUES (@caseId, @version, 'sealed', @snapshot, @tagManifestSha256, @packageName, @payloadBytes,
       @itemCount, @sealedBy, @sealedAt, @sealSeq)`,
  ).run(v);
}

export function markVersionReopened(
  db: WritableDB,
  r: { caseId: string; version: number; by: string; at: string; reason: string; seq: number },
): void {
  db.prepare(
    `UPDATE case_versions SET reopened_by = @by, reopened_at = @at, reopen_reason = @reason, reopen_seq = @seq
     WHERE case_id = @caseId AND version = @version`,
  ).run(r);
}

export function setCaseState(
  db: WritableDB,
  r: { caseId: string; state: 'draft' | 'sealed'; version: number; updatedAt: string },
): void {
  db.prepare('UPDATE cases SET state = @state, version = @version, updated_at = @updatedAt WHERE id = @caseId').run(r);
}

/** The seq of a sealed version's `case.seal` entry (its package's chain head is the entry before). */
export function sealSeqOf(db: ReadableDB, caseId: string, version: number): number | null {
  const row = db
    .prepare('SELECT seal_seq FROM case_versions WHERE case_id = ? AND version = ?')
    .get(caseId, version) as { seal_seq: number } | undefined;
  return row?.seal_seq ?? null;
}
