import type { SyncEnrolment, SyncSettings } from '../../shared/syncSchemas';
import type { ReadableDB, WritableDB } from '../db/database';

/** The enrolment and sync settings (`sync_enrolment`, `sync_settings`, migration 100): one row each at most. */

export interface Enrolment extends SyncEnrolment {
  /** The server key pinned at enrolment, SPKI PEM: every receipt must verify against it. */
  serverKeyPem: string;
}

interface EnrolmentRow {
  server_url: string;
  server_key_pem: string;
  server_key_fingerprint: string;
  enrolled_at: string;
  enrolled_by: string;
}

export function readEnrolment(db: ReadableDB): Enrolment | null {
  const row = db.prepare('SELECT * FROM sync_enrolment WHERE id = 1').get() as EnrolmentRow | undefined;
  if (!row) return null;
  return {
    serverUrl: row.server_url,
    serverKeyPem: row.server_key_pem,
    serverKeyFingerprint: row.server_key_fingerprint,
    enrolledAt: row.enrolled_at,
    enrolledBy: row.enrolled_by,
  };
}

export function insertEnrolment(db: WritableDB, e: Enrolment & { custodySeq: number }): void {
  db.prepare(
    `INSERT INTO sync_enrolment (id, server_url, server_key_pem, server_key_fingerprint, enrolled_at, enrolled_by, custody_seq)
     VALUES (1, @serverUrl, @serverKeyPem, @serverKeyFingerprint, @enrolledAt, @enrolledBy, @custodySeq)`,
  ).run(e);
}

export function readSyncSettings(db: ReadableDB): SyncSettings {
  const row = db.prepare('SELECT * FROM sync_settings WHERE id = 1').get() as
    { bandwidth_bytes_per_sec: number | null; window_start: string | null; window_end: string | null } | undefined;
  return {
    bandwidthBytesPerSec: row?.bandwidth_bytes_per_sec ?? null,
    window: row?.window_start && row.window_end ? { start: row.window_start, end: row.window_end } : null,
  };
}

export function writeSyncSettings(db: WritableDB, s: SyncSettings): void {
  db.prepare(
    `INSERT INTO sync_settings (id, bandwidth_bytes_per_sec, window_start, window_end) VALUES (1, @bw, @start, @end)
     ON CONFLICT (id) DO UPDATE SET bandwidth_bytes_per_sec = excluded.bandwidth_bytes_per_sec,
       window_start = excluded.window_start, window_end = excluded.window_end`,
  ).run({ bw: s.bandwidthBytesPerSec, start: s.window?.start ?? null, end: s.window?.end ?? null });
}
