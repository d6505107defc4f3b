import type { ReadableDB, WritableDB } from '../db/database';
import type { SyncProblemCode } from '../../shared/syncSchemas';

/**
 * The outbox (`sync_outbox`, `sync_files`, `sync_receipts`, migration 100). Every state the sync
 * worker reaches is a row here, so a station killed at any point resumes from what these say:
 * the upload URL and the offset the server confirmed, the files already done, the backoff.
 */

export interface VersionKey {
  caseId: string;
  version: number;
}

export interface OutboxVersion extends VersionKey {
  caseNumber: string;
  state: 'queued' | 'synced' | 'refused';
  queuedAt: string;
  attempts: number;
  nextAttemptMs: number;
  lastErrorCode: SyncProblemCode | null;
  lastErrorDetail: string | null;
  refusedReason: string | null;
  receiptId: number | null;
  finishedAt: string | null;
  tagManifestSha256: string;
  packageName: string;
}

export interface OutboxFile {
  path: string;
  sha256: string;
  size: number;
  uploadUrl: string | null;
  offset: number;
  attempts: number;
  nextAttemptMs: number;
  lastErrorCode: SyncProblemCode | null;
  lastErrorDetail: string | null;
  bytesSent: number;
  done: 'held' | 'uploaded' | null;
}

export interface StoredReceipt {
  id: number;
  caseId: string;
  version: number;
  seq: number;
  serverKeyFingerprint: string;
  receiptJson: string;
  signature: Buffer;
  receivedAt: string;
}

const SELECT_VERSION = `
  SELECT o.case_id AS caseId, o.version, c.number AS caseNumber, o.state, o.queued_at AS queuedAt,
    o.attempts, o.next_attempt_ms AS nextAttemptMs, o.last_error_code AS lastErrorCode,
    o.last_error_detail AS lastErrorDetail, o.refused_reason AS refusedReason, o.receipt_id AS receiptId,
    o.finished_at AS finishedAt, v.tag_manifest_sha256 AS tagManifestSha256, v.package_name AS packageName
  FROM sync_outbox o
  JOIN case_versions v ON v.case_id = o.case_id AND v.version = o.version
  JOIN cases c ON c.id = o.case_id`;

/** Queues a sealed version; false when it was queued before (whatever became of it). */
export function insertOutboxVersion(db: WritableDB, key: VersionKey, at: string): boolean {
  const r = db
    .prepare(`INSERT OR IGNORE INTO sync_outbox (case_id, version, state, queued_at) VALUES (?, ?, 'queued', ?)`)
    .run(key.caseId, key.version, at);
  return r.changes === 1;
}

/**
 * Versions a supervisor approved that are not in the outbox yet (the approval workflow's
 * `case_versions.state`, migration 90): queued at enrolment, and by each pass after it.
 */
export function approvedNotQueued(db: ReadableDB): VersionKey[] {
  return db
    .prepare(
      `SELECT v.case_id AS caseId, v.version FROM case_versions v
       WHERE v.state = 'approved'
         AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.case_id = v.case_id AND o.version = v.version)
       ORDER BY v.sealed_at, v.case_id, v.version`,
    )
    .all() as VersionKey[];
}

export function listOutbox(db: ReadableDB): OutboxVersion[] {
  return db.prepare(`${SELECT_VERSION} ORDER BY o.queued_at, c.number, o.version`).all() as OutboxVersion[];
}

export function getOutboxVersion(db: ReadableDB, key: VersionKey): OutboxVersion | null {
  return (
    (db.prepare(`${SELECT_VERSION} WHERE o.case_id = ? AND o.version = ?`).get(key.caseId, key.version) as
      OutboxVersion | undefined) ?? null
  );
}

/** Queued versions whose backoff has run out by `nowMs` (all queued ones with `ignoreBackoff`). */
/**
 * No backoff step or daily window sets a retry further ahead than this. A retry time beyond it
 * was set by a clock that was ahead and has been put right since: it is due now, not in a year.
 */
export const LONGEST_WAIT_MS = 2 * 24 * 60 * 60 * 1000;

export function dueVersions(db: ReadableDB, nowMs: number, ignoreBackoff: boolean): OutboxVersion[] {
  return db
    .prepare(
      `${SELECT_VERSION} WHERE o.state = 'queued'
         AND (@ignore = 1 OR o.next_attempt_ms <= @now OR o.next_attempt_ms > @now + @longest)
       ORDER BY o.queued_at, c.number, o.version`,
    )
    .all({ now: nowMs, ignore: ignoreBackoff ? 1 : 0, longest: LONGEST_WAIT_MS }) as OutboxVersion[];
}

/** The earliest time a queued version waits for, or null when none is queued. */
export function nextDueMs(db: ReadableDB): number | null {
  const row = db.prepare(`SELECT min(next_attempt_ms) AS next FROM sync_outbox WHERE state = 'queued'`).get() as {
    next: number | null;
  };
  return row.next;
}

const SELECT_FILE = `
  SELECT path, sha256, size, upload_url AS uploadUrl, offset, attempts, next_attempt_ms AS nextAttemptMs,
    last_error_code AS lastErrorCode, last_error_detail AS lastErrorDetail, bytes_sent AS bytesSent, done
  FROM sync_files`;

export function filesOf(db: ReadableDB, key: VersionKey): OutboxFile[] {
  return db
    .prepare(`${SELECT_FILE} WHERE case_id = ? AND version = ? ORDER BY path`)
    .all(key.caseId, key.version) as OutboxFile[];
}

export function insertFiles(
  db: WritableDB,
  key: VersionKey,
  files: readonly { path: string; sha256: string; size: number }[],
): void {
  const insert = db.prepare(
    `INSERT INTO sync_files (case_id, version, path, sha256, size) VALUES (@caseId, @version, @path, @sha256, @size)`,
  );
  for (const f of files) insert.run({ ...key, ...f });
}

/**
 * The server holds these bytes as delivered by this station (`/api/v1/have`): nothing to send. A
 * file the server's commit said this station had not delivered is not taken off the list here
 * (`resetFilesBySha`): it is sent.
 */
export function markFilesHeld(db: WritableDB, key: VersionKey, sha256s: ReadonlySet<string>): number {
  const update = db.prepare(
    `UPDATE sync_files SET done = 'held', last_error_code = NULL, last_error_detail = NULL
     WHERE case_id = ? AND version = ? AND sha256 = ? AND done IS NULL
       AND last_error_code IS NOT 'blob.missing'`,
  );
  let n = 0;
  for (const h of sha256s) n += update.run(key.caseId, key.version, h).changes;
  return n;
}

export function setUploadUrl(db: WritableDB, key: VersionKey, path: string, url: string): void {
  db.prepare(`UPDATE sync_files SET upload_url = ? WHERE case_id = ? AND version = ? AND path = ?`).run(
    url,
    key.caseId,
    key.version,
    path,
  );
}

/**
 * The offset the server has confirmed, and the bytes this station put on the wire for it
 * (`sent`: counted once, when the server confirms them; re-sent bytes after a cut count again).
 */
export function setConfirmedOffset(db: WritableDB, key: VersionKey, path: string, offset: number, sent: number): void {
  db.prepare(
    `UPDATE sync_files SET offset = ?, bytes_sent = bytes_sent + ? WHERE case_id = ? AND version = ? AND path = ?`,
  ).run(offset, sent, key.caseId, key.version, path);
}

export function markFileUploaded(db: WritableDB, key: VersionKey, path: string): void {
  db.prepare(
    `UPDATE sync_files SET done = 'uploaded', offset = size, last_error_code = NULL, last_error_detail = NULL
     WHERE case_id = ? AND version = ? AND path = ?`,
  ).run(key.caseId, key.version, path);
}

export function fileFailed(
  db: WritableDB,
  key: VersionKey,
  path: string,
  problem: { code: SyncProblemCode; detail: string; nextAttemptMs: number; restart: boolean },
): void {
  db.prepare(
    `UPDATE sync_files SET attempts = attempts + 1, next_attempt_ms = @next, last_error_code = @code,
       last_error_detail = @detail,
       upload_url = CASE WHEN @restart = 1 THEN NULL ELSE upload_url END,
       offset = CASE WHEN @restart = 1 THEN 0 ELSE offset END
     WHERE case_id = @caseId AND version = @version AND path = @path`,
  ).run({
    ...key,
    path,
    code: problem.code,
    detail: problem.detail,
    next: problem.nextAttemptMs,
    restart: problem.restart ? 1 : 0,
  });
}

export function versionFailed(
  db: WritableDB,
  key: VersionKey,
  problem: { code: SyncProblemCode; detail: string; nextAttemptMs: number },
): void {
  db.prepare(
    `UPDATE sync_outbox SET attempts = attempts + 1, next_attempt_ms = @next, last_error_code = @code,
       last_error_detail = @detail
     WHERE case_id = @caseId AND version = @version AND state = 'queued'`,
  ).run({ ...key, code: problem.code, detail: problem.detail, next: problem.nextAttemptMs });
}

/** Outside the daily window: the version waits for it without counting a failed attempt. */
export function versionWaits(
  db: WritableDB,
  key: VersionKey,
  problem: { code: SyncProblemCode; detail: string; nextAttemptMs: number },
): void {
  db.prepare(
    `UPDATE sync_outbox SET next_attempt_ms = @next, last_error_code = @code, last_error_detail = @detail
     WHERE case_id = @caseId AND version = @version AND state = 'queued'`,
  ).run({ ...key, code: problem.code, detail: problem.detail, next: problem.nextAttemptMs });
}

export function markSynced(db: WritableDB, key: VersionKey, receiptId: number, at: string): void {
  db.prepare(
    `UPDATE sync_outbox SET state = 'synced', receipt_id = ?, finished_at = ?, last_error_code = NULL,
       last_error_detail = NULL
     WHERE case_id = ? AND version = ? AND state = 'queued'`,
  ).run(receiptId, at, key.caseId, key.version);
}

export function markRefused(db: WritableDB, key: VersionKey, reason: string, at: string): void {
  db.prepare(
    `UPDATE sync_outbox SET state = 'refused', refused_reason = ?, finished_at = ?
     WHERE case_id = ? AND version = ? AND state = 'queued'`,
  ).run(reason, at, key.caseId, key.version);
}

export function insertReceipt(db: WritableDB, r: Omit<StoredReceipt, 'id'> & { custodySeq: number }): number {
  const result = db
    .prepare(
      `INSERT INTO sync_receipts (case_id, version, seq, server_key_fingerprint, receipt_json, signature, received_at, custody_seq)
       VALUES (@caseId, @version, @seq, @serverKeyFingerprint, @receiptJson, @signature, @receivedAt, @custodySeq)`,
    )
    .run(r);
  return Number(result.lastInsertRowid);
}

const SELECT_RECEIPT = `
  SELECT id, case_id AS caseId, version, seq, server_key_fingerprint AS serverKeyFingerprint,
    receipt_json AS receiptJson, signature, received_at AS receivedAt
  FROM sync_receipts`;

export function getReceipt(db: ReadableDB, id: number): StoredReceipt | null {
  return (db.prepare(`${SELECT_RECEIPT} WHERE id = ?`).get(id) as StoredReceipt | undefined) ?? null;
}

/** The receipt a synced version holds (the newest, should a version ever hold two). */
export function receiptOfVersion(db: ReadableDB, key: VersionKey): StoredReceipt | null {
  return (
    (db
      .prepare(`${SELECT_RECEIPT} WHERE case_id = ? AND version = ? ORDER BY id DESC LIMIT 1`)
      .get(key.caseId, key.version) as StoredReceipt | undefined) ?? null
  );
}

/** Every receipt stored for a version, oldest first. */
export function receiptsOfVersion(db: ReadableDB, key: VersionKey): StoredReceipt[] {
  return db
    .prepare(`${SELECT_RECEIPT} WHERE case_id = ? AND version = ? ORDER BY id`)
    .all(key.caseId, key.version) as StoredReceipt[];
}

/**
 * The server's commit says this station has not delivered these blobs (`blob.missing`): their
 * files are sent again from the start, whatever this station believed, and keep that code until
 * they are: `markFilesHeld` passes over them, so a `/have` that still lists one (it should not:
 * it answers only what this station delivered) cannot send the station round have → commit →
 * refusal again.
 */
export function resetFilesBySha(
  db: WritableDB,
  key: VersionKey,
  sha256s: readonly string[],
  detail: (sha256: string) => string,
): number {
  const update = db.prepare(
    `UPDATE sync_files SET done = NULL, upload_url = NULL, offset = 0, last_error_code = 'blob.missing',
       last_error_detail = ?
     WHERE case_id = ? AND version = ? AND sha256 = ?`,
  );
  let n = 0;
  for (const h of sha256s) n += update.run(detail(h), key.caseId, key.version, h).changes;
  return n;
}
