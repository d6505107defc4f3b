import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  getColumnNames,
  getSchemaNames,
  getTableData,
  insertData,
  insertImportWithCustody,
  updateToVersion,
  versionBefore,
  type Row,
} from '../../../../test/engine/migrationHelpers';
import type { WritableDB } from '../database';

/**
 * Migration 90 rebuilds `case_versions` with a review state. A version-80 database holding a case
 * sealed as version 1, reopened, and sealed again as version 2 migrates with every row and column
 * kept; both versions are `sealed`; the frozen-version triggers still hold; and from then on only
 * the legal review steps pass, checked by raw UPDATEs as a person with sqlite3 would try them.
 */

const fresh = databasePerTest();

const AT = '2026-03-01T09:30:00.000+08:00';
const hash = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

function custody(seq: number, action: string): Row {
  return {
    seq,
    at: AT,
    actor: 'wang',
    station: 's1',
    action,
    subject: 'case-1',
    sha256: null,
    details: '{}',
    prev: hash(seq - 1),
    hash: hash(seq),
  };
}

function sealedRow(version: number, sealSeq: number): Row {
  return {
    case_id: 'case-1',
    version,
    state: 'sealed',
    snapshot: `{"version":${version}}`,
    tag_manifest_sha256: hash(100 + version),
    package_name: `ZF-2026-00001-v${version}`,
    payload_bytes: 10 * version,
    item_count: version,
    sealed_by: 'wang',
    sealed_at: AT,
    seal_seq: sealSeq,
  };
}

/** Version 80: case-1 sealed as v1 (seq 2), reopened (seq 3), sealed as v2 (seq 4); entries 5–12 for the steps. */
function databaseAtVersion80(): WritableDB {
  const d = fresh();
  expect(updateToVersion(d, versionBefore(90))).toBe(80);
  insertImportWithCustody(d, 'imp-1', null);
  insertData(
    d,
    'custody',
    [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((seq) => custody(seq, `step.${seq}`)),
  );
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
      created_by: 'wang',
      created_at: AT,
      updated_at: AT,
      custody_seq: 1,
      search_text: 'zf-2026-00001',
      version: 2,
    },
  ]);
  insertData(d, 'case_versions', [sealedRow(1, 2)]);
  d.prepare(
    `UPDATE case_versions SET reopened_by = 'li', reopened_at = ?, reopen_reason = 'add a clip', reopen_seq = 3
     WHERE version = 1`,
  ).run(AT);
  insertData(d, 'case_versions', [sealedRow(2, 4)]);
  return d;
}

const approve = (d: WritableDB, version: number, seq: number) =>
  d
    .prepare(
      `UPDATE case_versions SET state = 'approved', approved_by = 'li', approved_at = ?, approval_seq = ?,
         approval_statement = '{}', approval_signature = 'c2ln' WHERE version = ?`,
    )
    .run(AT, seq, version);

describe('migration 90 (review state per sealed version)', () => {
  it('keeps every version as it was, sealed, reopen included; the foreign keys hold', () => {
    const d = databaseAtVersion80();
    const before = getTableData(d, 'case_versions');
    expect(updateToVersion(d, 90)).toBe(90);
    const after = getTableData(d, 'case_versions');
    expect(after).toHaveLength(2);
    for (const [i, row] of before.entries()) expect(after[i]).toMatchObject(row);
    expect(after.map((r) => r.state)).toEqual(['sealed', 'sealed']);
    expect(after[0]).toMatchObject({ reopened_by: 'li', reopen_seq: 3, approved_by: null, reject_seq: null });
    expect(getColumnNames(d, 'case_versions')).toEqual(
      expect.arrayContaining(['approved_by', 'approval_statement', 'reject_reason', 'queue_seq', 'refuse_reason']),
    );
    expect(getSchemaNames(d, 'trigger')).toEqual(
      expect.arrayContaining([
        'case_versions_frozen_update',
        'case_versions_no_delete',
        'case_versions_review_step',
        'case_versions_steps_frozen',
        'cases_state_update',
      ]),
    );
    expect(d.pragma('foreign_key_check')).toEqual([]);
  });

  it('still refuses any change to the sealed bytes, any delete, and a second reopen', () => {
    const d = databaseAtVersion80();
    updateToVersion(d, 90);
    expect(() => d.prepare(`UPDATE case_versions SET snapshot = '{"x":1}' WHERE version = 2`).run()).toThrow(
      /never changed/,
    );
    expect(() => d.prepare('UPDATE case_versions SET tag_manifest_sha256 = ? WHERE version = 2').run(hash(9))).toThrow(
      /never changed/,
    );
    expect(() => d.prepare(`UPDATE case_versions SET sealed_by = 'li' WHERE version = 2`).run()).toThrow(
      /never changed/,
    );
    expect(() => d.prepare('DELETE FROM case_versions WHERE version = 2').run()).toThrow(/never changed/);
    expect(() => d.prepare(`UPDATE case_versions SET reopen_reason = 'other' WHERE version = 1`).run()).toThrow(
      /never changed/,
    );
    expect(() => d.prepare(`UPDATE case_versions SET reopened_by = 'li' WHERE version = 2`).run()).toThrow(/CHECK/);
  });

  it('allows only sealed → approved → queued → synced | refused, each step with its record, set once', () => {
    const d = databaseAtVersion80();
    updateToVersion(d, 90);
    // Skipping a step, or a state without the step's columns.
    expect(() => d.prepare(`UPDATE case_versions SET state = 'queued' WHERE version = 2`).run()).toThrow(
      /legal review step/,
    );
    expect(() => d.prepare(`UPDATE case_versions SET state = 'synced' WHERE version = 2`).run()).toThrow(
      /legal review step/,
    );
    expect(() => d.prepare(`UPDATE case_versions SET state = 'approved' WHERE version = 2`).run()).toThrow(/CHECK/);
    expect(() => d.prepare(`UPDATE case_versions SET state = 'published' WHERE version = 2`).run()).toThrow(
      /legal review step/,
    );
    // A superseded (reopened) version is not approved.
    expect(() => approve(d, 1, 5)).toThrow(/superseded/);

    approve(d, 2, 5);
    expect(() => d.prepare(`UPDATE case_versions SET approved_by = 'zhao' WHERE version = 2`).run()).toThrow(
      /never changed/,
    );
    expect(() => d.prepare(`UPDATE case_versions SET state = 'sealed' WHERE version = 2`).run()).toThrow(
      /legal review step/,
    );
    expect(() =>
      d
        .prepare(
          `UPDATE case_versions SET state = 'rejected', rejected_by = 'li', rejected_at = ?, reject_reason = 'x',
             reject_seq = 6, reopened_by = 'li', reopened_at = ?, reopen_reason = 'x', reopen_seq = 6 WHERE version = 2`,
        )
        .run(AT, AT),
    ).toThrow(/legal review step/);
    d.prepare(
      `UPDATE case_versions SET state = 'queued', queued_by = 'station', queued_at = ?, queue_seq = 6 WHERE version = 2`,
    ).run(AT);
    d.prepare(
      `UPDATE case_versions SET state = 'refused', refused_at = ?, refuse_reason = 'bad hash', refuse_seq = 7
       WHERE version = 2`,
    ).run(AT);
    // Refused is final.
    expect(() =>
      d.prepare(`UPDATE case_versions SET state = 'synced', synced_at = ?, sync_seq = 8 WHERE version = 2`).run(AT),
    ).toThrow(/legal review step/);
    expect(() => d.prepare(`UPDATE case_versions SET refuse_reason = 'other' WHERE version = 2`).run()).toThrow(
      /never changed/,
    );
    expect(getTableData(d, 'case_versions')[1]).toMatchObject({
      state: 'refused',
      approval_seq: 5,
      queue_seq: 6,
      refuse_seq: 7,
      sync_seq: null,
    });
  });

  it('a rejection names its reopen in the same update, and a case stays draft or sealed', () => {
    const d = databaseAtVersion80();
    updateToVersion(d, 90);
    const reject = (withReopen: boolean) =>
      d
        .prepare(
          `UPDATE case_versions SET state = 'rejected', rejected_by = 'li', rejected_at = @at, reject_reason = 'fix it',
             reject_seq = 9${withReopen ? `, reopened_by = 'li', reopened_at = @at, reopen_reason = 'fix it', reopen_seq = 9` : ''}
           WHERE version = 2`,
        )
        .run({ at: AT });
    expect(() => reject(false)).toThrow(/CHECK/);
    reject(true);
    expect(() => d.prepare(`UPDATE case_versions SET state = 'approved' WHERE version = 2`).run()).toThrow(
      /legal review step/,
    );
    expect(() => d.prepare(`UPDATE cases SET state = 'approved'`).run()).toThrow(/draft or sealed/);
    d.prepare(`UPDATE cases SET state = 'draft', version = 3`).run();
    expect(getTableData(d, 'cases')[0]).toMatchObject({ state: 'draft', version: 3 });
  });
});
