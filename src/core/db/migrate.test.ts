import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  explain,
  getColumnNames,
  getSchemaNames,
  getTableData,
  getTableNames,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
} from '../../../test/engine/migrationHelpers';
import type { WritableDB } from './database';
import { DatabaseFromFutureError, migrate, schemaVersion } from './migrate';
import { MIGRATIONS } from './migrations';

const NEWEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;

const fresh = databasePerTest();

describe('migrate', () => {
  it('takes a fresh database from 0 to the newest version', () => {
    const d = fresh();
    expect(schemaVersion(d)).toBe(0);
    expect(migrate(d)).toBe(NEWEST);
    expect(NEWEST).toBe(113);
    expect(d.pragma('user_version', { simple: true })).toBe(113);
    expect(getTableNames(d)).toEqual([
      'accounts',
      // Cases (migration 30).
      'case_items',
      'case_numbers',
      // Sealed versions (migration 40).
      'case_versions',
      'cases',
      'custody',
      // Checkpoints and recorded chain problems (migration 60).
      'custody_checkpoints',
      'custody_problems',
      'derivations',
      'derived',
      'import_files',
      // What an import planned to read, its store intents and quarantined copies (migration 70).
      'import_plan',
      'imports',
      // The number of items, kept by triggers (migration 113).
      'item_count',
      'items',
      // The full-text index (migration 20) and FTS5's shadow tables.
      'items_fts',
      'items_fts_config',
      'items_fts_data',
      'items_fts_idx',
      'markers',
      'quarantine',
      'station',
      'store_intents',
      // Sync: enrolment, settings, the outbox and stored receipts (migration 100).
      'sync_enrolment',
      'sync_files',
      'sync_outbox',
      'sync_receipts',
      'sync_settings',
      'tag_revisions',
      'tags',
      'taxonomy_versions',
      'time_corrections',
      // Other stations' public keys (migration 40).
      'trusted_keys',
      'violation_types',
    ]);
    expect(getSchemaNames(d, 'trigger')).toEqual([
      'case_versions_frozen_update',
      'case_versions_no_delete',
      // The review steps of a sealed version, and a case's state (migration 90).
      'case_versions_no_review_after_reopen',
      'case_versions_review_step',
      'case_versions_steps_frozen',
      'cases_state_insert',
      'cases_state_update',
      'custody_checkpoints_no_delete',
      'custody_checkpoints_no_update',
      'custody_no_delete',
      'custody_no_update',
      'custody_problems_ack_only',
      'custody_problems_no_delete',
      'derivations_no_delete',
      'derivations_no_update',
      'item_count_delete',
      'item_count_insert',
      'items_fts_delete',
      'items_fts_insert',
      'items_fts_update',
      'sync_receipts_no_delete',
      'sync_receipts_no_update',
      'tag_revisions_no_delete',
      'tag_revisions_no_update',
      'taxonomy_versions_frozen_delete',
      'taxonomy_versions_frozen_update',
      // Time corrections are facts on the record (migration 111).
      'time_corrections_no_delete',
      'time_corrections_no_update',
      'violation_types_frozen_delete',
      'violation_types_frozen_update',
    ]);
  });

  it('is idempotent: a second run changes nothing', () => {
    const d = fresh();
    migrate(d);
    const schemaBefore = d.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all();
    expect(migrate(d)).toBe(NEWEST);
    expect(d.prepare('SELECT type, name, sql FROM sqlite_schema ORDER BY name').all()).toEqual(schemaBefore);
  });

  it('refuses a database newer than the station knows, and leaves it untouched', () => {
    const d = fresh();
    d.pragma('user_version = 999');
    expect(() => migrate(d)).toThrow(DatabaseFromFutureError);
    try {
      migrate(d);
    } catch (error) {
      expect(error).toMatchObject({ found: 999, known: NEWEST });
    }
    expect(schemaVersion(d)).toBe(999);
    expect(getTableNames(d)).toEqual([]);
  });

  it('rejects a migration list whose versions do not rise', () => {
    const d = fresh();
    const noop = () => undefined;
    expect(() =>
      migrate(d, undefined, [
        { version: 10, update: noop },
        { version: 10, update: noop },
      ]),
    ).toThrow(/must rise/);
    expect(() =>
      migrate(d, undefined, [
        { version: 20, update: noop },
        { version: 10, update: noop },
      ]),
    ).toThrow(/must rise/);
    expect(schemaVersion(d)).toBe(0);
  });

  it('stops at a target version and continues from there later', () => {
    const d = fresh();
    const ran: number[] = [];
    const list = [10, 20, 30].map((version) => ({
      version,
      update: (w: WritableDB) => {
        ran.push(version);
        w.exec(`CREATE TABLE t${version} (x INTEGER) STRICT`);
      },
    }));
    expect(migrate(d, 20, list)).toBe(20);
    expect(ran).toEqual([10, 20]);
    expect(migrate(d, undefined, list)).toBe(30);
    expect(ran).toEqual([10, 20, 30]);
  });

  it('rolls a failing migration back together with its version bump', () => {
    const d = fresh();
    const list = [
      { version: 10, update: (w: WritableDB) => w.exec('CREATE TABLE a (x INTEGER) STRICT') },
      {
        version: 20,
        update: (w: WritableDB) => {
          w.exec('CREATE TABLE b (x INTEGER) STRICT');
          throw new Error('boom');
        },
      },
    ];
    expect(() => migrate(d, undefined, list)).toThrow('boom');
    expect(schemaVersion(d)).toBe(10);
    expect(getTableNames(d)).toEqual(['a']);
  });
});

/**
 * One test per migration, in the Signal style: migrate to N−1, insert rows as N−1 stored them,
 * migrate to N, compare. Version 10 creates the schema, so its "before" is empty and its test
 * checks that rows of every table can be written and read back with the constraints it promises.
 */
describe('migration 10 (initial schema)', () => {
  it('creates tables that hold an imported item with its custody entry', () => {
    const d = fresh();
    expect(updateToVersion(d, versionBefore(10))).toBe(0);
    expect(updateToVersion(d, 10)).toBe(10);

    insertImportWithCustody(d, 'item-1', 'a'.repeat(64));
    insertData(d, 'items', [
      {
        id: 'item-1',
        sha256: 'a'.repeat(64),
        size: 10,
        original_name: 'a.mp4',
        relative_path: 'a.mp4',
        source_path: '/media/cam/a.mp4',
        kind: 'video',
        status: 'ok',
        import_id: 'imp-1',
        imported_at: '2026-03-01T09:30:00.000+08:00',
        imported_by: 'admin',
        media: '{"kind":"video"}',
        search_text: 'a.mp4',
        custody_seq: 1,
      },
    ]);
    expect(getTableData(d, 'items')).toEqual([
      expect.objectContaining({ id: 'item-1', offset_known: 0, has_gps: 0, recorded_at: null, custody_seq: 1 }),
    ]);
    expect(getColumnNames(d, 'items')).toContain('original_recorded_at');

    // The constraints the engine relies on.
    expect(() => insertData(d, 'items', [{ ...getTableData(d, 'items')[0]!, id: 'item-2' }])).toThrow(
      /UNIQUE constraint failed: items.sha256/,
    );
    expect(() => d.prepare(`UPDATE items SET kind = 'movie' WHERE id = 'item-1'`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE custody SET actor = 'x'`).run()).toThrow(/append-only/);
    expect(() => d.prepare(`DELETE FROM custody`).run()).toThrow(/append-only/);
    expect(() => d.prepare(`UPDATE items SET import_id = 'no-such-import' WHERE id = 'item-1'`).run()).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('indexes the columns the library filters and sorts on', () => {
    const d = fresh();
    updateToVersion(d, 10);
    expect(explain(d, 'SELECT id FROM items WHERE device_id = @v', { v: 'x' })).toMatch(/USING INDEX items_device/);
    expect(explain(d, 'SELECT id FROM items WHERE officer_id = @v', { v: 'x' })).toMatch(/USING INDEX items_officer/);
    expect(explain(d, 'SELECT seq FROM custody WHERE subject = @v ORDER BY seq', { v: 'x' })).toMatch(
      /custody_subject/,
    );
  });
});
