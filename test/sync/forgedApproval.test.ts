import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedItem } from '../engine/harness';
import { tamper } from '../engine/tamper';
import { getMediaFixtures } from '../fixtures';
import {
  approvedCaseOf,
  openSyncStation,
  startCentralServer,
  type ApprovedCase,
  type CentralServer,
  type SyncStation,
} from './syncFixtures';

/**
 * Someone holding the database file marks versions approved without anyone approving them: the
 * review triggers allow the step sealed → approved, so only the custody log can tell. One version
 * gets another case's genuine statement and signature and points at an entry of the log that is
 * not an approval (the table lets each approval entry back one version only), one names its own
 * sealer as approver with an entry that does not exist. Neither leaves the station, at enrolment
 * or on a sync pass, and `check` lists both; the genuinely approved case syncs as usual.
 */

let server: CentralServer;
let station: SyncStation;
let genuine: ApprovedCase;
const forged: { caseId: string; number: string }[] = [];

async function sealedOnly(title: string, itemIds: string[]): Promise<{ caseId: string; number: string }> {
  const c = await station.call('cases.create', { title, place: '南京东路' });
  await station.call('cases.addItems', { caseId: c.id, itemIds });
  const sealed = await station.call('cases.seal', { caseId: c.id });
  return { caseId: c.id, number: sealed.case };
}

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation();
  const fx = getMediaFixtures();
  const record = await station.importAndWait([fx.h264, fx.photoGps]);
  const h264 = importedItem(record, 'h264.mp4').id;
  const photo = importedItem(record, 'photo_gps.jpg').id;
  genuine = await approvedCaseOf(station, 'Genuine', [h264]);
  forged.push(await sealedOnly('Borrowed approval', [photo]));
  forged.push(await sealedOnly('Self-approved', [h264, photo]));

  // The second forged case's seal: an entry after the first one's seal, and not an approval.
  const log = await station.call('custody.list', { subject: forged[1]!.caseId, limit: 100 });
  const otherSeal = log.entries.find((e) => e.action === 'case.seal')!.seq;
  tamper(station.dataDir, (db) => {
    const source = db
      .prepare('SELECT approval_statement AS s, approval_signature AS g FROM case_versions WHERE case_id = ?')
      .get(genuine.caseId) as { s: string; g: string };
    const forge = db.prepare(
      `UPDATE case_versions SET state = 'approved', approved_by = @by, approved_at = '2026-12-03T03:00:00.000Z',
         approval_seq = @seq, approval_statement = @s, approval_signature = @g WHERE case_id = @caseId AND version = 1`,
    );
    forge.run({ by: 'li', seq: otherSeal, s: source.s, g: source.g, caseId: forged[0]!.caseId });
    forge.run({ by: 'admin', seq: 999_999, s: source.s, g: source.g, caseId: forged[1]!.caseId });
  });
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

describe('a version marked approved in the database file, not in the custody log', () => {
  it('is listed by check, with what is wrong', async () => {
    const report = await station.call('station.check', { rehash: false });
    expect(report.ok).toBe(false);
    const approval = report.problems.filter((p) => p.kind === 'approval');
    const [borrowed, self] = forged.map((f) => approval.filter((p) => p.detail.startsWith(`${f.number} v1:`)));
    expect(borrowed!.map((p) => p.detail).join('\n')).toMatch(/does not record the approval of this version/);
    expect(self!.map((p) => p.detail).join('\n')).toMatch(
      /custody entry 999999, which records the approval, is missing/,
    );
    expect(approval.some((p) => p.detail.startsWith(`${genuine.number} `))).toBe(false);
  });

  it('is not queued at enrolment nor by a sync pass, while the genuine approval syncs', async () => {
    await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
    await station.call('sync.now', { wait: true });
    const status = await station.call('sync.status', {});
    expect(status.versions.map((v) => [v.caseNumber, v.state])).toEqual([[genuine.number, 'synced']]);
    for (const f of forged) {
      const versions = await station.call('cases.versions', { caseId: f.caseId });
      expect(versions.at(-1)?.state).toBe('approved');
    }
    const actions = (await station.call('custody.list', { limit: 500 })).entries
      .filter((e) => e.action === 'case.queue')
      .map((e) => e.subject);
    expect(actions).toEqual([genuine.caseId]);
    // The server holds the genuine case only.
    const listed = await server.run(['station', 'list']);
    expect(listed.code).toBe(0);
  });
});
