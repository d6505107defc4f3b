import { describe, expect, it } from 'vitest';
import {
  databasePerTest,
  insertData,
  insertImportWithCustody,
  updateToVersion,
} from '../../../test/engine/migrationHelpers';
import type { WritableDB } from '../db/database';
import {
  approvedNotQueued,
  dueVersions,
  fileFailed,
  filesOf,
  getOutboxVersion,
  insertFiles,
  insertOutboxVersion,
  insertReceipt,
  markFileUploaded,
  markFilesHeld,
  markRefused,
  markSynced,
  nextDueMs,
  receiptOfVersion,
  resetFilesBySha,
  setConfirmedOffset,
  setUploadUrl,
  versionFailed,
  versionWaits,
} from './outboxRepo';

/**
 * The outbox's state machine on a real SQLite database at the current schema: queueing is
 * idempotent; backoff decides which versions are due (unless set aside); a file keeps its upload
 * URL and confirmed offset across failures unless the server dropped it; held files are done;
 * synced needs a stored receipt and refused its reason; a finished version is never due again.
 */

const fresh = databasePerTest();
const AT = '2026-03-01T09:30:00.000+08:00';
const key = { caseId: 'case-1', version: 1 };

function stationWithVersions(states: Array<'sealed' | 'approved'>): WritableDB {
  const d = fresh();
  updateToVersion(d, 100);
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
  states.forEach((state, i) => {
    const seq = 2 + i * 2;
    insertData(d, 'custody', [
      {
        seq,
        at: AT,
        actor: 'admin',
        station: 's1',
        action: 'case.seal',
        subject: 'case-1',
        sha256: null,
        details: '{}',
        prev: 'b'.repeat(64),
        hash: `${i}`.repeat(64),
      },
      {
        seq: seq + 1,
        at: AT,
        actor: 'li',
        station: 's1',
        action: 'case.approve',
        subject: 'case-1',
        sha256: null,
        details: '{}',
        prev: `${i}`.repeat(64),
        hash: `${i + 5}`.repeat(64),
      },
    ]);
    insertData(d, 'case_versions', [
      {
        case_id: 'case-1',
        version: i + 1,
        state,
        snapshot: '{}',
        tag_manifest_sha256: 'c'.repeat(64),
        package_name: `ZF-2026-00001-v${i + 1}`,
        payload_bytes: 10,
        item_count: 1,
        sealed_by: 'admin',
        sealed_at: AT,
        seal_seq: seq,
        ...(state === 'approved'
          ? {
              approved_by: 'li',
              approved_at: AT,
              approval_seq: seq + 1,
              approval_statement: '{}',
              approval_signature: 'AA==',
            }
          : {}),
      },
    ]);
  });
  return d;
}

const files = [
  { path: 'bagit.txt', sha256: '1'.repeat(64), size: 55 },
  { path: 'data/originals/0001_a.bin', sha256: '2'.repeat(64), size: 1_000 },
  { path: 'data/originals/0002_b.bin', sha256: '3'.repeat(64), size: 2_000 },
];

describe('the outbox', () => {
  it('finds approved versions not yet queued, and queues a version once', () => {
    const d = stationWithVersions(['approved', 'sealed']);
    expect(approvedNotQueued(d)).toEqual([{ caseId: 'case-1', version: 1 }]);
    expect(insertOutboxVersion(d, key, AT)).toBe(true);
    expect(insertOutboxVersion(d, key, AT)).toBe(false);
    expect(approvedNotQueued(d)).toEqual([]);
    expect(getOutboxVersion(d, key)).toMatchObject({ caseNumber: 'ZF-2026-00001', state: 'queued', attempts: 0 });
  });

  it('holds a failed version back until its next attempt, unless told to try now', () => {
    const d = stationWithVersions(['approved']);
    insertOutboxVersion(d, key, AT);
    expect(dueVersions(d, 1_000, false)).toHaveLength(1);
    versionFailed(d, key, { code: 'network', detail: 'ECONNREFUSED', nextAttemptMs: 5_000 });
    expect(dueVersions(d, 4_999, false)).toHaveLength(0);
    expect(dueVersions(d, 4_999, true)).toHaveLength(1);
    expect(dueVersions(d, 5_000, false)).toHaveLength(1);
    expect(nextDueMs(d)).toBe(5_000);
    expect(getOutboxVersion(d, key)).toMatchObject({
      attempts: 1,
      lastErrorCode: 'network',
      lastErrorDetail: 'ECONNREFUSED',
    });
    // Waiting for the window is not a failed attempt.
    versionWaits(d, key, { code: 'window', detail: '22:00–06:00', nextAttemptMs: 9_000 });
    expect(getOutboxVersion(d, key)).toMatchObject({ attempts: 1, lastErrorCode: 'window', nextAttemptMs: 9_000 });
  });

  it('keeps a file’s upload and confirmed offset across failures, unless the server dropped it', () => {
    const d = stationWithVersions(['approved']);
    insertOutboxVersion(d, key, AT);
    insertFiles(d, key, files);
    expect(markFilesHeld(d, key, new Set(['1'.repeat(64)]))).toBe(1);
    const big = files[2]!.path;
    setUploadUrl(d, key, big, 'http://server/api/v1/uploads/abc');
    setConfirmedOffset(d, key, big, 1_024, 1_024);
    fileFailed(d, key, big, { code: 'network', detail: 'reset', nextAttemptMs: 10, restart: false });
    expect(filesOf(d, key).find((f) => f.path === big)).toMatchObject({
      uploadUrl: 'http://server/api/v1/uploads/abc',
      offset: 1_024,
      bytesSent: 1_024,
      attempts: 1,
      lastErrorCode: 'network',
      done: null,
    });
    setConfirmedOffset(d, key, big, 1_500, 476);
    fileFailed(d, key, big, { code: 'upload.hashMismatch', detail: 'differs', nextAttemptMs: 20, restart: true });
    expect(filesOf(d, key).find((f) => f.path === big)).toMatchObject({ uploadUrl: null, offset: 0, bytesSent: 1_500 });
    markFileUploaded(d, key, big);
    expect(filesOf(d, key).map((f) => [f.path, f.done, f.offset])).toEqual([
      ['bagit.txt', 'held', 0],
      ['data/originals/0001_a.bin', null, 0],
      [big, 'uploaded', 2_000],
    ]);
    // An offset past the file is refused by the table.
    expect(() => setConfirmedOffset(d, key, 'bagit.txt', 56, 56)).toThrow(/CHECK/);
  });

  it('sends again a file the server said at commit this station had not delivered, whatever /have says next', () => {
    const d = stationWithVersions(['approved']);
    insertOutboxVersion(d, key, AT);
    insertFiles(d, key, files);
    const all = new Set(files.map((f) => f.sha256));
    expect(markFilesHeld(d, key, all)).toBe(3);
    const [, a, b] = files;
    setUploadUrl(d, key, a!.path, 'http://server/api/v1/uploads/abc');
    const problem = `${a!.path} (${a!.sha256})`;
    expect(resetFilesBySha(d, key, [a!.sha256], (h) => (h === a!.sha256 ? problem : 'other'))).toBe(1);
    expect(filesOf(d, key).find((f) => f.path === a!.path)).toMatchObject({
      done: null,
      uploadUrl: null,
      offset: 0,
      lastErrorCode: 'blob.missing',
      lastErrorDetail: problem,
    });
    // A /have that lists it again does not make it held: it is uploaded.
    expect(markFilesHeld(d, key, all)).toBe(0);
    expect(filesOf(d, key).find((f) => f.path === a!.path)?.done).toBeNull();
    markFileUploaded(d, key, a!.path);
    expect(filesOf(d, key).find((f) => f.path === a!.path)).toMatchObject({ done: 'uploaded', lastErrorCode: null });
    expect(filesOf(d, key).find((f) => f.path === b!.path)?.done).toBe('held');
  });

  it('ends a version synced with its receipt, or refused with the reason, and never due again', () => {
    const d = stationWithVersions(['approved', 'approved']);
    insertOutboxVersion(d, key, AT);
    const other = { caseId: 'case-1', version: 2 };
    insertOutboxVersion(d, other, AT);
    const id = insertReceipt(d, {
      ...key,
      seq: 1,
      serverKeyFingerprint: 'f'.repeat(64),
      receiptJson: '{"seq":1}',
      signature: Buffer.alloc(64, 9),
      receivedAt: AT,
      custodySeq: 1,
    });
    markSynced(d, key, id, AT);
    markRefused(d, other, 'the custody entries do not chain', AT);
    expect(getOutboxVersion(d, key)).toMatchObject({ state: 'synced', receiptId: id, finishedAt: AT });
    expect(getOutboxVersion(d, other)).toMatchObject({
      state: 'refused',
      refusedReason: 'the custody entries do not chain',
    });
    expect(dueVersions(d, Number.MAX_SAFE_INTEGER, true)).toEqual([]);
    expect(nextDueMs(d)).toBeNull();
    const stored = receiptOfVersion(d, key)!;
    expect(stored.receiptJson).toBe('{"seq":1}');
    expect(Buffer.compare(stored.signature, Buffer.alloc(64, 9))).toBe(0);
    // A finished version stays as it ended.
    versionFailed(d, key, { code: 'network', detail: 'x', nextAttemptMs: 1 });
    expect(getOutboxVersion(d, key)).toMatchObject({ state: 'synced', attempts: 0 });
  });
});
