import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getTableData,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
  type Row,
} from '../../../../test/engine/migrationHelpers';
import type { WritableDB } from '../database';

/**
 * Migration 40: a version-30 database holding a draft case migrates to 40; the case becomes a
 * draft of version 1, and sealed versions and trusted keys are kept as facts (triggers refuse
 * changes but the one-time reopen).
 */

const fresh = databasePerTest();

const AT = '2026-03-01T09:30:00.000+08:00';

function databaseAtVersion30(): WritableDB {
  const d = fresh();
  expect(updateToVersion(d, versionBefore(40))).toBe(30);
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
      state: 'draft',
      created_by: 'admin',
      created_at: AT,
      updated_at: AT,
      custody_seq: 1,
      search_text: 'zf-2026-00001',
    },
  ]);
  return d;
}

function sealedRow(version: number): Row {
  return {
    case_id: 'case-1',
    version,
    state: 'sealed',
    snapshot: '{}',
    tag_manifest_sha256: 'c'.repeat(64),
    package_name: `ZF-2026-00001-v${version}`,
    payload_bytes: 10,
    item_count: 1,
    sealed_by: 'admin',
    sealed_at: AT,
    seal_seq: 1,
  };
}

describe('migration 40 (seal)', () => {
  it('makes existing cases drafts of version 1', () => {
    const d = databaseAtVersion30();
    expect(updateToVersion(d, 40)).toBe(40);
    expect(getTableData(d, 'cases')).toEqual([expect.objectContaining({ id: 'case-1', state: 'draft', version: 1 })]);
    expect(d.pragma('foreign_key_check')).toEqual([]);
  });

  it('keeps a sealed version as it was: only the reopen columns may be set, once, all together', () => {
    const d = databaseAtVersion30();
    updateToVersion(d, 40);
    insertData(d, 'case_versions', [sealedRow(1)]);
    expect(() => d.prepare(`UPDATE case_versions SET snapshot = '{"x":1}'`).run()).toThrow(/never changed/);
    expect(() => d.prepare(`UPDATE case_versions SET tag_manifest_sha256 = ?`).run('d'.repeat(64))).toThrow(
      /never changed/,
    );
    expect(() => d.prepare('DELETE FROM case_versions').run()).toThrow(/never changed/);
    expect(() => d.prepare(`UPDATE case_versions SET reopened_by = 'admin'`).run()).toThrow(/CHECK/);
    d.prepare(
      `UPDATE case_versions SET reopened_by = 'admin', reopened_at = ?, reopen_reason = 'typo', reopen_seq = 1`,
    ).run(AT);
    expect(() => d.prepare(`UPDATE case_versions SET reopen_reason = 'other'`).run()).toThrow(/never changed/);
    expect(() => insertData(d, 'case_versions', [sealedRow(1)])).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertData(d, 'case_versions', [{ ...sealedRow(2), state: 'draft' }])).toThrow(/CHECK/);
    expect(() => insertData(d, 'case_versions', [{ ...sealedRow(3), seal_seq: 99 }])).toThrow(/FOREIGN KEY/);
  });

  it('adds trusted_keys with its custody entry', () => {
    const d = databaseAtVersion30();
    updateToVersion(d, 40);
    const key = {
      fingerprint: 'e'.repeat(64),
      label: 'Station 2',
      public_key_pem: '-----BEGIN PUBLIC KEY-----',
      imported_by: 'admin',
      imported_at: AT,
      custody_seq: 1,
    };
    insertData(d, 'trusted_keys', [key]);
    expect(() => insertData(d, 'trusted_keys', [key])).toThrow(/UNIQUE|PRIMARY/);
    expect(() => insertData(d, 'trusted_keys', [{ ...key, fingerprint: 'f'.repeat(64), custody_seq: 7 }])).toThrow(
      /FOREIGN KEY/,
    );
  });
});
