import { describe, expect, it } from 'vitest';
import { databasePerTest, insertData, insertImportWithCustody } from '../../../test/engine/migrationHelpers';
import { AppError } from '../../shared/errors';
import type { CaseJson } from '../../shared/sealSchemas';
import { appendCustody } from '../custody/custodyLog';
import { migrate } from '../db/migrate';
import type { WritableDB } from '../db/database';
import { listCases } from '../cases/casesRepo';
import { getCaseVersionRow } from '../seal/caseVersionsRepo';
import { diffVersions } from './versionDiff';
import {
  listVersionsInState,
  markVersionApproved,
  markVersionQueued,
  markVersionRefused,
  markVersionRejected,
  markVersionSynced,
  type StepServices,
} from './versionSteps';

/**
 * The review steps the sync worker and the approval handlers take, on a real migrated database:
 * each writes one custody entry and the version's row in one go, refuses the wrong starting
 * state with `approval.wrongState` (leaving nothing behind), and a rejection reopens the case.
 * And the version diff on two snapshots.
 */

const fresh = databasePerTest();
const AT = '2026-03-02T08:00:00.000+08:00';

function station(): { db: WritableDB; s: StepServices } {
  const db = fresh();
  migrate(db);
  insertImportWithCustody(db, 'imp-1', null);
  insertData(db, 'cases', [
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
      version: 1,
    },
  ]);
  const s: StepServices = {
    db,
    now: () => new Date('2026-03-02T00:00:00.000Z'),
    record: (e) => appendCustody(db, { ...e, at: AT, station: 's1' }),
  };
  const seal = s.record({ actor: 'wang', action: 'case.seal', subject: 'case-1', sha256: null, details: {} });
  insertData(db, 'case_versions', [
    {
      case_id: 'case-1',
      version: 1,
      state: 'sealed',
      snapshot: '{}',
      tag_manifest_sha256: 'c'.repeat(64),
      package_name: 'ZF-2026-00001-v1',
      payload_bytes: 10,
      item_count: 1,
      sealed_by: 'wang',
      sealed_at: AT,
      seal_seq: seal.seq,
    },
  ]);
  return { db, s };
}

const v1 = { caseId: 'case-1', version: 1 };
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'returned';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};
const lastEntry = (db: WritableDB) =>
  db.prepare('SELECT seq, actor, action, details FROM custody ORDER BY seq DESC LIMIT 1').get() as {
    seq: number;
    actor: string;
    action: string;
    details: string;
  };

describe('review steps of a sealed version', () => {
  it('approved → queued → synced, one custody entry each, each step refused from the wrong state', () => {
    const { db, s } = station();
    expect(codeOf(() => markVersionQueued(s, { ...v1, actor: 'station', approvalKey: null }))).toBe(
      'approval.wrongState',
    );
    const approved = markVersionApproved(s, {
      ...v1,
      actor: 'li',
      approvedAt: AT,
      statementText: '{"a":1}',
      signature: 'c2ln',
    });
    expect(approved).toMatchObject({ state: 'approved', approvedBy: 'li', approvedAt: AT });
    expect(lastEntry(db)).toMatchObject({ actor: 'li', action: 'case.approve' });
    expect(JSON.parse(lastEntry(db).details)).toMatchObject({
      number: 'ZF-2026-00001',
      version: 1,
      tagManifestSha256: 'c'.repeat(64),
      // SHA-256 of the statement text `{"a":1}`.
      approvalSha256: '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862',
    });
    expect(listVersionsInState(db, 'approved').map((v) => v.version)).toEqual([1]);

    const seqBefore = lastEntry(db).seq;
    expect(codeOf(() => markVersionSynced(s, { ...v1, actor: 'station' }))).toBe('approval.wrongState');
    expect(lastEntry(db).seq).toBe(seqBefore);

    expect(markVersionQueued(s, { ...v1, actor: 'station', approvalKey: null })).toMatchObject({ state: 'queued' });
    expect(lastEntry(db)).toMatchObject({ action: 'case.queue' });
    const list = (state: Parameters<typeof listCases>[1]['state']) =>
      listCases(db, { state, offset: 0, limit: 10 }).cases.map((c) => [c.number, c.state]);
    expect(list('queued')).toEqual([['ZF-2026-00001', 'queued']]);
    expect(list('approved')).toEqual([]);
    const synced = markVersionSynced(s, { ...v1, actor: 'station', details: { receiptSeq: 7 } });
    expect(synced.state).toBe('synced');
    expect(JSON.parse(lastEntry(db).details)).toMatchObject({ receiptSeq: 7, version: 1 });
    expect(codeOf(() => markVersionRefused(s, { ...v1, actor: 'station', reason: 'late' }))).toBe(
      'approval.wrongState',
    );
    expect(listVersionsInState(db, 'approved')).toEqual([]);
    expect(list('synced')).toEqual([['ZF-2026-00001', 'synced']]);
  });

  it('queued → refused is final, with the server’s reason', () => {
    const { db, s } = station();
    markVersionApproved(s, { ...v1, actor: 'li', approvedAt: AT, statementText: '{}', signature: 'c2ln' });
    markVersionQueued(s, { ...v1, actor: 'station', approvalKey: null });
    const refused = markVersionRefused(s, { ...v1, actor: 'station', reason: 'custody entry 4 does not chain' });
    expect(refused).toMatchObject({ state: 'refused', refuseReason: 'custody entry 4 does not chain' });
    expect(lastEntry(db)).toMatchObject({ action: 'case.syncRefused' });
    expect(codeOf(() => markVersionSynced(s, { ...v1, actor: 'station' }))).toBe('approval.wrongState');
  });

  it('a rejection reopens the case as the next draft with the same entry', () => {
    const { db, s } = station();
    const rejected = markVersionRejected(s, { ...v1, actor: 'li', reason: 'add the second clip' });
    const entry = lastEntry(db);
    expect(entry).toMatchObject({ actor: 'li', action: 'case.reject' });
    expect(rejected).toMatchObject({
      state: 'rejected',
      rejectedBy: 'li',
      rejectReason: 'add the second clip',
      reopenedBy: 'li',
      reopenReason: 'add the second clip',
    });
    expect(getCaseVersionRow(db, 'case-1', 1)).toMatchObject({ reopen_seq: entry.seq });
    expect(db.prepare('SELECT state, version FROM cases').get()).toEqual({ state: 'draft', version: 2 });
    expect(
      codeOf(() =>
        markVersionApproved(s, { ...v1, actor: 'zhao', approvedAt: AT, statementText: '{}', signature: 'c2ln' }),
      ),
    ).toBe('approval.wrongState');
    expect(codeOf(() => markVersionRejected(s, { caseId: 'case-1', version: 2, actor: 'li', reason: 'x' }))).toBe(
      'case.versionNotFound',
    );
  });
});

describe('diffVersions', () => {
  const tag = (id: string, note: string, fromSec = 1) => ({
    id,
    code: 'street-vending',
    label: { zh: '占道经营', en: 'Street vending' },
    taxonomyVersion: 1,
    fromSec,
    toSec: 5,
    note,
    createdBy: 'wang',
    createdAt: AT,
    updatedBy: 'wang',
    updatedAt: AT,
  });
  const item = (id: string, tags: ReturnType<typeof tag>[]) => ({
    id,
    origin: 'original' as const,
    sha256: id.padEnd(64, '0'),
    size: 1,
    originalName: `${id}.mp4`,
    bagPath: `data/originals/${id}.mp4`,
    media: { kind: 'video' as const },
    recordedAt: null,
    recordedAtSource: null,
    timeProvenance: {},
    deviceId: null,
    officerId: null,
    gps: null,
    importedAt: AT,
    importedBy: 'wang',
    derivation: null,
    tags,
    addedToCaseBy: 'wang',
    addedToCaseAt: AT,
  });
  const snapshot = (version: number, notes: string, items: ReturnType<typeof item>[]) =>
    ({
      format: 'evidence-station/case',
      formatVersion: 1,
      case: {
        id: 'case-1',
        number: 'ZF-2026-00001',
        version,
        title: 'Night market',
        place: '南京东路',
        occurredAt: null,
        parties: [],
        notes,
        createdBy: 'wang',
        createdAt: AT,
      },
      seal: {} as CaseJson['seal'],
      items,
      software: { name: 'evidence-station', version: '1', ffmpeg: null },
    }) as unknown as CaseJson;

  it('lists items and tags added, removed and changed, and the fields that changed', () => {
    const before = snapshot(1, 'first', [
      item('a', [tag('t1', 'stall'), tag('t2', 'cart')]),
      item('b', [tag('t3', '')]),
    ]);
    const after = snapshot(2, 'second', [
      item('a', [tag('t1', 'stall on the walkway'), tag('t4', 'new')]),
      item('c', []),
    ]);
    const diff = diffVersions(before, after);
    expect(diff).toMatchObject({ version: 2, previousVersion: 1 });
    expect(diff.itemsAdded.map((i) => i.id)).toEqual(['c']);
    expect(diff.itemsRemoved.map((i) => i.id)).toEqual(['b']);
    expect(diff.tagsAdded.map((t) => t.id)).toEqual(['t4']);
    expect(diff.tagsRemoved.map((t) => t.id)).toEqual(['t2', 't3']);
    expect(diff.tagsChanged).toEqual([
      expect.objectContaining({ fields: ['note'], before: expect.objectContaining({ note: 'stall' }) }),
    ]);
    expect(diff.fields).toEqual({
      title: null,
      place: null,
      occurredAt: null,
      parties: null,
      notes: { before: 'first', after: 'second' },
    });
  });

  it('has everything added for a first version, and nothing when two versions agree', () => {
    const only = snapshot(1, '', [item('a', [tag('t1', 'x')])]);
    expect(diffVersions(null, only)).toMatchObject({
      previousVersion: null,
      itemsAdded: [expect.objectContaining({ id: 'a' })],
      tagsAdded: [expect.objectContaining({ id: 't1', itemName: 'a.mp4' })],
      itemsRemoved: [],
    });
    const same = diffVersions(snapshot(1, '', [item('a', [])]), snapshot(2, '', [item('a', [])]));
    expect([same.itemsAdded, same.itemsRemoved, same.tagsAdded, same.tagsRemoved, same.tagsChanged]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });
});
