import type { WritableDB } from '../database';

/**
 * Migration 100: the station's side of sync (server/PROTOCOL.md).
 *
 * - `sync_enrolment`: at most one row, the central server this station is enrolled with: its URL,
 *   the server key pinned at enrolment (PEM and fingerprint, the one every receipt must verify
 *   against) and the `sync.enrol` custody entry that recorded it.
 * - `sync_settings`: at most one row: an optional upload bandwidth limit (bytes per second) and an
 *   optional daily window (`HH:MM` station-local times, start and end; a window that ends before
 *   it starts runs past midnight).
 * - `sync_outbox`: one row per sealed version queued for the server. `state` runs `queued` →
 *   `synced` (a verified receipt is stored) or `refused` (the server refused the package: final,
 *   with its reason). While queued, `attempts`, `next_attempt_ms` (epoch milliseconds; the backoff)
 *   and the last error (a code and its detail) say why it waits and until when.
 * - `sync_files`: one row per file of the version's package: its path in the package, SHA-256 and
 *   size, the tus upload URL and the offset the server last confirmed, attempts and backoff like
 *   the version's, and `done` (`held`: the server already had the blob; `uploaded`).
 * - `sync_receipts`: every receipt as received: the JSON text and the raw signature bytes exactly
 *   as the server sent them (an export copies them byte for byte), which version it is for, and
 *   the `sync.receipt` custody entry. Never changed, never deleted (triggers).
 *
 * Sync never deletes or changes evidence, packages or versions: these tables only refer to them.
 */
export function m0100SyncOutbox(db: WritableDB): void {
  db.exec(`
    CREATE TABLE sync_enrolment (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      server_url TEXT NOT NULL,
      server_key_pem TEXT NOT NULL,
      server_key_fingerprint TEXT NOT NULL CHECK (length(server_key_fingerprint) = 64),
      enrolled_at TEXT NOT NULL,
      enrolled_by TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq)
    ) STRICT;

    CREATE TABLE sync_settings (
      id INTEGER PRIMARY KEY CHECK (id = 1),
      bandwidth_bytes_per_sec INTEGER CHECK (bandwidth_bytes_per_sec IS NULL OR bandwidth_bytes_per_sec > 0),
      window_start TEXT CHECK (window_start IS NULL OR window_start GLOB '[0-2][0-9]:[0-5][0-9]'),
      window_end TEXT CHECK (window_end IS NULL OR window_end GLOB '[0-2][0-9]:[0-5][0-9]'),
      CHECK ((window_start IS NULL) = (window_end IS NULL))
    ) STRICT;

    CREATE TABLE sync_outbox (
      case_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'synced', 'refused')),
      queued_at TEXT NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_attempt_ms INTEGER NOT NULL DEFAULT 0,
      last_error_code TEXT,
      last_error_detail TEXT,
      refused_reason TEXT,
      receipt_id INTEGER REFERENCES sync_receipts (id),
      finished_at TEXT,
      PRIMARY KEY (case_id, version),
      FOREIGN KEY (case_id, version) REFERENCES case_versions (case_id, version),
      CHECK (state <> 'synced' OR receipt_id IS NOT NULL),
      CHECK (state <> 'refused' OR refused_reason IS NOT NULL)
    ) STRICT;
    CREATE INDEX sync_outbox_state ON sync_outbox (state, next_attempt_ms);

    CREATE TABLE sync_files (
      case_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
      size INTEGER NOT NULL CHECK (size >= 0),
      upload_url TEXT,
      offset INTEGER NOT NULL DEFAULT 0 CHECK (offset >= 0 AND offset <= size),
      attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      next_attempt_ms INTEGER NOT NULL DEFAULT 0,
      last_error_code TEXT,
      last_error_detail TEXT,
      bytes_sent INTEGER NOT NULL DEFAULT 0 CHECK (bytes_sent >= 0),
      done TEXT CHECK (done IS NULL OR done IN ('held', 'uploaded')),
      PRIMARY KEY (case_id, version, path),
      FOREIGN KEY (case_id, version) REFERENCES sync_outbox (case_id, version)
    ) STRICT;

    CREATE TABLE sync_receipts (
      id INTEGER PRIMARY KEY,
      case_id TEXT NOT NULL,
      version INTEGER NOT NULL,
      seq INTEGER NOT NULL CHECK (seq >= 1),
      server_key_fingerprint TEXT NOT NULL CHECK (length(server_key_fingerprint) = 64),
      receipt_json TEXT NOT NULL,
      signature BLOB NOT NULL CHECK (length(signature) = 64),
      received_at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq),
      UNIQUE (server_key_fingerprint, seq),
      FOREIGN KEY (case_id, version) REFERENCES case_versions (case_id, version)
    ) STRICT;
    CREATE INDEX sync_receipts_version ON sync_receipts (case_id, version);
    CREATE TRIGGER sync_receipts_no_update BEFORE UPDATE ON sync_receipts
      BEGIN SELECT RAISE(ABORT, 'a stored receipt is never changed'); END;
    CREATE TRIGGER sync_receipts_no_delete BEFORE DELETE ON sync_receipts
      BEGIN SELECT RAISE(ABORT, 'a stored receipt is never deleted'); END;
  `);
}
