import type { CaseVersion, CaseVersionState } from '../../shared/sealSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/**
 * Sealed case versions (`case_versions`, migrations 40 and 90): written once at sealing, reopened
 * once; their review steps are written by `approval/versionSteps.ts`.
 */

export interface CaseVersionRow {
  case_id: string;
  number: string;
  version: number;
  state: CaseVersionState;
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
  reopen_seq: number | null;
  approved_by: string | null;
  approved_at: string | null;
  approval_seq: number | null;
  approval_statement: string | null;
  approval_signature: string | null;
  rejected_by: string | null;
  rejected_at: string | null;
  reject_reason: string | null;
  queued_at: string | null;
  synced_at: string | null;
  refused_at: string | null;
  refuse_reason: string | null;
}

export function rowToCaseVersion(row: CaseVersionRow): CaseVersion {
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
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    rejectedBy: row.rejected_by,
    rejectedAt: row.rejected_at,
    rejectReason: row.reject_reason,
    queuedAt: row.queued_at,
    syncedAt: row.synced_at,
    refusedAt: row.refused_at,
    refuseReason: row.refuse_reason,
  };
}

const SELECT_VERSION = `SELECT v.*, c.number FROM case_versions v JOIN cases c ON c.id = v.case_id`;

export function listCaseVersions(db: ReadableDB, caseId: string): CaseVersion[] {
  const rows = db.prepare(`${SELECT_VERSION} WHERE v.case_id = ? ORDER BY v.version`).all(caseId) as CaseVersionRow[];
  return rows.map(rowToCaseVersion);
}

/** A sealed version, or the latest one when `version` is absent; null when there is none. */
export function getCaseVersion(db: ReadableDB, caseId: string, version?: number): CaseVersion | null {
  const row = getCaseVersionRow(db, caseId, version);
  return row ? rowToCaseVersion(row) : null;
}

/** The stored row of a sealed version (the latest when `version` is absent), snapshot and statements included. */
export function getCaseVersionRow(db: ReadableDB, caseId: string, version?: number): CaseVersionRow | null {
  const row = (
    version === undefined
      ? db.prepare(`${SELECT_VERSION} WHERE v.case_id = ? ORDER BY v.version DESC LIMIT 1`).get(caseId)
      : db.prepare(`${SELECT_VERSION} WHERE v.case_id = ? AND v.version = ?`).get(caseId, version)
  ) as CaseVersionRow | undefined;
  return row ?? null;
}

/** Every version that carries an approval (approved, or past it), oldest case first. */
export function approvedVersionRows(db: ReadableDB): CaseVersionRow[] {
  return db
    .prepare(
      `${SELECT_VERSION} WHERE v.approved_by IS NOT NULL OR v.approval_seq IS NOT NULL ORDER BY c.number, v.version`,
    )
    .all() as CaseVersionRow[];
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
