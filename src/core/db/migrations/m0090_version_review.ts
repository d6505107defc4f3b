import type { WritableDB } from '../database';

/**
 * Migration 90: a review state per sealed version (issue 9).
 *
 * `case_versions.state` was CHECK ('sealed'); SQLite cannot alter a CHECK, so the table is rebuilt
 * (new table, copy, drop, rename; foreign keys checked before commit, see migrate.ts) with:
 *
 *   sealed ──approve──▶ approved ──queue──▶ queued ──sync──▶ synced
 *      │                                       └──refuse──▶ refused (final: the server's reason)
 *      └──reject──▶ rejected (with a reason; the case reopens as the next draft version)
 *
 * Each step's who, when (and why) and the seq of its custody entry are columns, set once. CHECKs
 * tie every state to the columns of the steps that lead to it, so a row can only say what the
 * custody log says happened. Triggers keep the sealed bytes frozen exactly as before (snapshot,
 * tag-manifest hash, package, sealer, seal entry never change; the reopen columns are set once,
 * all together), refuse every delete, refuse any state change but the legal ones above, and refuse
 * changing a step's columns once set. A rejection is also the version's reopen: the reject step
 * fills the reopen columns in the same update, with the same custody entry.
 *
 * `cases.state` keeps saying whether the current version is a draft or sealed (its CHECK also
 * allowed 'approved' and 'rejected', never used): the review state lives on the version only, so
 * it cannot disagree with a second copy. New triggers hold `cases.state` to those two values.
 */
export function m0090VersionReview(db: WritableDB): void {
  db.exec(`
    CREATE TABLE case_versions_new (
      case_id TEXT NOT NULL REFERENCES cases (id),
      version INTEGER NOT NULL CHECK (version >= 1),
      state TEXT NOT NULL CHECK (state IN ('sealed', 'approved', 'rejected', 'queued', 'synced', 'refused')),
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
      approved_by TEXT,
      approved_at TEXT,
      approval_seq INTEGER UNIQUE REFERENCES custody (seq),
      -- The signed approval statement exports carry as seal/approval.json (exact canonical text)
      -- and its raw Ed25519 signature, base64.
      approval_statement TEXT,
      approval_signature TEXT,
      rejected_by TEXT,
      rejected_at TEXT,
      reject_reason TEXT,
      reject_seq INTEGER UNIQUE REFERENCES custody (seq),
      queued_by TEXT,
      queued_at TEXT,
      queue_seq INTEGER UNIQUE REFERENCES custody (seq),
      synced_at TEXT,
      sync_seq INTEGER UNIQUE REFERENCES custody (seq),
      refused_at TEXT,
      refuse_reason TEXT,
      refuse_seq INTEGER UNIQUE REFERENCES custody (seq),
      PRIMARY KEY (case_id, version),
      CHECK (
        (reopened_by IS NULL AND reopened_at IS NULL AND reopen_reason IS NULL AND reopen_seq IS NULL)
        OR (reopened_by IS NOT NULL AND reopened_at IS NOT NULL AND reopen_reason IS NOT NULL AND reopen_seq IS NOT NULL)
      ),
      CHECK (
        (approved_by IS NULL AND approved_at IS NULL AND approval_seq IS NULL
          AND approval_statement IS NULL AND approval_signature IS NULL)
        OR (approved_by IS NOT NULL AND approved_at IS NOT NULL AND approval_seq IS NOT NULL
          AND approval_statement IS NOT NULL AND approval_signature IS NOT NULL)
      ),
      CHECK (
        (rejected_by IS NULL AND rejected_at IS NULL AND reject_reason IS NULL AND reject_seq IS NULL)
        OR (rejected_by IS NOT NULL AND rejected_at IS NOT NULL AND reject_reason IS NOT NULL AND reject_seq IS NOT NULL)
      ),
      CHECK ((queued_by IS NULL AND queued_at IS NULL AND queue_seq IS NULL)
        OR (queued_by IS NOT NULL AND queued_at IS NOT NULL AND queue_seq IS NOT NULL)),
      CHECK ((synced_at IS NULL) = (sync_seq IS NULL)),
      CHECK ((refused_at IS NULL AND refuse_reason IS NULL AND refuse_seq IS NULL)
        OR (refused_at IS NOT NULL AND refuse_reason IS NOT NULL AND refuse_seq IS NOT NULL)),
      -- Each state says exactly which steps happened.
      CHECK ((approval_seq IS NOT NULL) = (state IN ('approved', 'queued', 'synced', 'refused'))),
      CHECK ((reject_seq IS NOT NULL) = (state = 'rejected')),
      CHECK ((queue_seq IS NOT NULL) = (state IN ('queued', 'synced', 'refused'))),
      CHECK ((sync_seq IS NOT NULL) = (state = 'synced')),
      CHECK ((refuse_seq IS NOT NULL) = (state = 'refused')),
      -- A rejection reopens the case with the same entry.
      CHECK (state <> 'rejected' OR reopen_seq IS reject_seq)
    ) STRICT;

    INSERT INTO case_versions_new (case_id, version, state, snapshot, tag_manifest_sha256, package_name,
        payload_bytes, item_count, sealed_by, sealed_at, seal_seq, reopened_by, reopened_at, reopen_reason, reopen_seq)
      SELECT case_id, version, state, snapshot, tag_manifest_sha256, package_name,
        payload_bytes, item_count, sealed_by, sealed_at, seal_seq, reopened_by, reopened_at, reopen_reason, reopen_seq
      FROM case_versions ORDER BY rowid;

    DROP TABLE case_versions;
    ALTER TABLE case_versions_new RENAME TO case_versions;
    CREATE UNIQUE INDEX case_versions_package ON case_versions (package_name);
    CREATE INDEX case_versions_by_state ON case_versions (state, case_id, version);

    -- The sealed bytes and the seal never change; the reopen columns are set once, all together.
    CREATE TRIGGER case_versions_frozen_update BEFORE UPDATE ON case_versions
      WHEN (old.reopen_seq IS NOT NULL AND (
             new.reopened_by IS NOT old.reopened_by OR new.reopened_at IS NOT old.reopened_at
             OR new.reopen_reason IS NOT old.reopen_reason OR new.reopen_seq IS NOT old.reopen_seq))
        OR new.case_id IS NOT old.case_id
        OR new.version IS NOT old.version
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

    -- Only the legal steps: sealed → approved | rejected; approved → queued; queued → synced | refused.
    CREATE TRIGGER case_versions_review_step BEFORE UPDATE OF state ON case_versions
      WHEN new.state IS NOT old.state AND NOT (
        (old.state = 'sealed' AND new.state IN ('approved', 'rejected'))
        OR (old.state = 'approved' AND new.state = 'queued')
        OR (old.state = 'queued' AND new.state IN ('synced', 'refused')))
      BEGIN SELECT RAISE(ABORT, 'not a legal review step for a sealed case version'); END;
    -- A step, once recorded, stays as recorded.
    CREATE TRIGGER case_versions_steps_frozen BEFORE UPDATE ON case_versions
      WHEN (old.approval_seq IS NOT NULL AND (
             new.approved_by IS NOT old.approved_by OR new.approved_at IS NOT old.approved_at
             OR new.approval_seq IS NOT old.approval_seq OR new.approval_statement IS NOT old.approval_statement
             OR new.approval_signature IS NOT old.approval_signature))
        OR (old.reject_seq IS NOT NULL AND (
             new.rejected_by IS NOT old.rejected_by OR new.rejected_at IS NOT old.rejected_at
             OR new.reject_reason IS NOT old.reject_reason OR new.reject_seq IS NOT old.reject_seq))
        OR (old.queue_seq IS NOT NULL AND (
             new.queued_by IS NOT old.queued_by OR new.queued_at IS NOT old.queued_at
             OR new.queue_seq IS NOT old.queue_seq))
        OR (old.sync_seq IS NOT NULL AND (new.synced_at IS NOT old.synced_at OR new.sync_seq IS NOT old.sync_seq))
        OR (old.refuse_seq IS NOT NULL AND (
             new.refused_at IS NOT old.refused_at OR new.refuse_reason IS NOT old.refuse_reason
             OR new.refuse_seq IS NOT old.refuse_seq))
      BEGIN SELECT RAISE(ABORT, 'a recorded review step of a sealed case version is never changed'); END;
    -- A version reopened (superseded by the next draft) is not approved or rejected any more; a
    -- version already approved may still be queued and synced after the case is reopened.
    CREATE TRIGGER case_versions_no_review_after_reopen BEFORE UPDATE OF state ON case_versions
      WHEN old.state = 'sealed' AND new.state = 'approved' AND old.reopen_seq IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'a reopened case version is superseded and cannot be approved'); END;

    CREATE TRIGGER cases_state_insert BEFORE INSERT ON cases
      WHEN new.state NOT IN ('draft', 'sealed')
      BEGIN SELECT RAISE(ABORT, 'a case is a draft or sealed; a version''s review state is on case_versions'); END;
    CREATE TRIGGER cases_state_update BEFORE UPDATE OF state ON cases
      WHEN new.state NOT IN ('draft', 'sealed')
      BEGIN SELECT RAISE(ABORT, 'a case is a draft or sealed; a version''s review state is on case_versions'); END;
  `);
}
