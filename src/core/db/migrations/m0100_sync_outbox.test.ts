import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getTableData,
  getTableNames,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
  type Row,
} from '../../../../test/engine/migrationHelpers';

/**
 * Migration 100 adds the sync tables only: a database at the version before it, holding a sealed
 * case version, keeps every row; the outbox, its files and receipts refer to that version; a
 * synced row needs its receipt and a refused one its reason; a stored receipt is never changed or
 * deleted; there is at most one enrolment and one settings row.
 */

const fresh = databasePerTest();
const AT = '2026-03-01T09:30:00.000+08:00';
const FP = 'f'.repeat(64);

function sealedDatabase(): ReturnType<typeof fresh> {
  const d = fresh();
  const before = versionBefore(100);
  expect(updateToVersion(d, before)).toBe(before);
  insertImportWithCustody(d, 'imp-1', null);
  insertData(d, 'cases', [
    {
      id: 'case-1',
      number: 'ZF-2026-00001',
      title: 'Night market',
      place: '',
      occurred_at: null,
      parties: '[]',
      notes: '',
      state: 'sealed',
      created_by: 'admin',
      created_at: AT,
      updated_at: AT,
      custody_seq: 1,
      search_text: 'zf-2026-00001',
    },
  ]);
  insertData(d, 'case_versions', [
    {
      case_id: 'case-1',
      version: 1,
      state: 'sealed',
      snapshot: '{}',
      tag_manifest_sha256: 'c'.repeat(64),
      package_name: 'ZF-2026-00001-v1',
      payload_bytes: 10,
      item_count: 1,
      sealed_by: 'admin',
      sealed_at: AT,
      seal_seq: 1,
    },
  ]);
  return d;
}

const outboxRow = (extra: Row = {}): Row => ({
  case_id: 'case-1',
  version: 1,
  state: 'queued',
  queued_at: AT,
  ...extra,
});

describe('migration 100 (sync outbox)', () => {
  it('keeps existing rows and adds the sync tables', () => {
    const d = sealedDatabase();
    const versions = getTableData(d, 'case_versions');
    expect(updateToVersion(d, 100)).toBe(100);
    expect(getTableData(d, 'case_versions')).toEqual(versions);
    for (const t of ['sync_enrolment', 'sync_settings', 'sync_outbox', 'sync_files', 'sync_receipts'])
      expect(getTableNames(d)).toContain(t);
    expect(d.pragma('foreign_key_check')).toEqual([]);
  });

  it('ties outbox rows, files and receipts to a sealed version and guards their states', () => {
    const d = sealedDatabase();
    updateToVersion(d, 100);
    // Only a version that exists can be queued.
    expect(() => insertData(d, 'sync_outbox', [outboxRow({ version: 2 })])).toThrow(/FOREIGN KEY/);
    insertData(d, 'sync_outbox', [outboxRow()]);
    expect(() => insertData(d, 'sync_outbox', [outboxRow()])).toThrow(/UNIQUE|PRIMARY/);
    // Synced needs a receipt; refused needs the server's reason.
    expect(() => d.prepare(`UPDATE sync_outbox SET state = 'synced'`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE sync_outbox SET state = 'refused'`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE sync_outbox SET state = 'lost'`).run()).toThrow(/CHECK/);

    const file = {
      case_id: 'case-1',
      version: 1,
      path: 'data/case.json',
      sha256: 'a'.repeat(64),
      size: 10,
    };
    insertData(d, 'sync_files', [file]);
    expect(() => d.prepare(`UPDATE sync_files SET offset = 11`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE sync_files SET done = 'maybe'`).run()).toThrow(/CHECK/);
    expect(() => insertData(d, 'sync_files', [{ ...file, version: 3, path: 'x' }])).toThrow(/FOREIGN KEY/);

    const receipt = {
      case_id: 'case-1',
      version: 1,
      seq: 1,
      server_key_fingerprint: FP,
      receipt_json: '{}',
      received_at: AT,
      custody_seq: 1,
    };
    d.prepare(
      `INSERT INTO sync_receipts (case_id, version, seq, server_key_fingerprint, receipt_json, signature, received_at, custody_seq)
       VALUES (@case_id, @version, @seq, @server_key_fingerprint, @receipt_json, @signature, @received_at, @custody_seq)`,
    ).run({ ...receipt, signature: Buffer.alloc(64, 7) });
    expect(() =>
      d
        .prepare(
          `INSERT INTO sync_receipts (case_id, version, seq, server_key_fingerprint, receipt_json, signature, received_at, custody_seq)
           VALUES (@case_id, @version, @seq, @server_key_fingerprint, @receipt_json, @signature, @received_at, @custody_seq)`,
        )
        .run({ ...receipt, seq: 2, signature: Buffer.alloc(63) }),
    ).toThrow(/CHECK/);
    const id = (d.prepare('SELECT id FROM sync_receipts').get() as { id: number }).id;
    d.prepare(`UPDATE sync_outbox SET state = 'synced', receipt_id = ?`).run(id);
    expect(() => d.prepare(`UPDATE sync_receipts SET receipt_json = '{"x":1}'`).run()).toThrow(/never changed/);
    expect(() => d.prepare(`DELETE FROM sync_receipts`).run()).toThrow(/never deleted/);
    expect(d.pragma('foreign_key_check')).toEqual([]);
  });

  it('holds one enrolment and one settings row, with a whole window or none', () => {
    const d = sealedDatabase();
    updateToVersion(d, 100);
    const enrolment = {
      id: 1,
      server_url: 'http://127.0.0.1:1',
      server_key_pem: 'pem',
      server_key_fingerprint: FP,
      enrolled_at: AT,
      enrolled_by: 'admin',
      custody_seq: 1,
    };
    insertData(d, 'sync_enrolment', [enrolment]);
    expect(() => insertData(d, 'sync_enrolment', [{ ...enrolment, id: 2 }])).toThrow(/CHECK/);
    insertData(d, 'sync_settings', [
      { id: 1, bandwidth_bytes_per_sec: 1000, window_start: '22:00', window_end: '06:00' },
    ]);
    expect(() => d.prepare(`UPDATE sync_settings SET window_end = NULL`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE sync_settings SET bandwidth_bytes_per_sec = 0`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE sync_settings SET window_start = '7am'`).run()).toThrow(/CHECK/);
  });
});
