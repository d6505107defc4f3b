import type { WritableDB } from '../database';

/**
 * Sealing: frozen case versions and the public keys of the office's other stations.
 *
 * - `cases.version` is the case's current version: the draft's number, or the latest sealed one's
 *   when the case is sealed (`state`). Cases made before this migration are drafts of version 1.
 * - `case_versions` holds one row per sealed version: `snapshot` is the package's `case.json`
 *   exactly as written, `tag_manifest_sha256` the value the signature and the `case.seal` custody
 *   entry name. A sealed version never changes: triggers refuse every update except setting the
 *   reopen columns, once, all together; and every delete.
 * - `trusted_keys` (read, read-only, by the package verifier): each imported key with the custody
 *   entry that recorded its import.
 */
export function m0040Seal(db: WritableDB): void {
  db.exec(`
    ALTER TABLE cases ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);

    CREATE TABLE case_versions (
      case_id TEXT NOT NULL REFERENCES cases (id),
      version INTEGER NOT NULL CHECK (version >= 1),
      state TEXT NOT NULL CHECK (state IN ('sealed')),
      snapshot TEXT NOT NULL,
      tag_manifest_sha256 TEXT NOT NULL CHECK (length(tag_manifest_sha256) = 64),
      package_name TEXT NOT NULL,
      payload_bytes INTEGER NOT NULL,
      item_count INTEGER NOT NULL,
      sealed_by TEXT NOT NULL,
      sealed_at TEXT NOT NULL,
      seal_seq INTEGER NOT NULL UNIQUE REFERENCES custody (seq),
      reopened_by TEXT,
      reopened_at TEXT,
      reopen_reason TEXT,
      reopen_seq INTEGER REFERENCES custody (seq),
      PRIMARY KEY (case_id, version),
      CHECK (
        (reopened_by IS NULL AND reopened_at IS NULL AND reopen_reason IS NULL AND reopen_seq IS NULL)
        OR (reopened_by IS NOT NULL AND reopened_at IS NOT NULL AND reopen_reason IS NOT NULL AND reopen_seq IS NOT NULL)
      )
    ) STRICT;
    CREATE UNIQUE INDEX case_versions_package ON case_versions (package_name);
    CREATE TRIGGER case_versions_frozen_update BEFORE UPDATE ON case_versions
      WHEN old.reopen_seq IS NOT NULL
        OR new.case_id IS NOT old.case_id
        OR new.version IS NOT old.version
        OR new.state IS NOT old.state
        OR new.snapshot IS NOT old.snapshot
        OR new.tag_manifest_sha256 IS NOT old.tag_manifest_sha256
        OR new.package_name IS NOT old.package_name
        OR new.payload_bytes IS NOT old.payload_bytes
        OR new.item_count IS NOT old.item_count
        OR new.sealed_by IS NOT old.sealed_by
        OR new.sealed_at IS NOT old.sealed_at
        OR new.seal_seq IS NOT old.seal_seq
      BEGIN SELECT RAISE(ABORT, 'a sealed case version is never changed; reopen the case for a new version'); END;
    CREATE TRIGGER case_versions_no_delete BEFORE DELETE ON case_versions
      BEGIN SELECT RAISE(ABORT, 'a sealed case version is never changed; reopen the case for a new version'); END;

    CREATE TABLE trusted_keys (
      fingerprint TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      public_key_pem TEXT NOT NULL,
      imported_by TEXT NOT NULL,
      imported_at TEXT NOT NULL,
      custody_seq INTEGER NOT NULL REFERENCES custody (seq)
    ) STRICT;
  `);
}
