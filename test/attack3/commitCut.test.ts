import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceivedCase } from '../../src/shared/syncProtocol';
import { runServerCommand } from '../../server/test/serverProcess';
import { CommitAnswerTrap } from '../sync/commitAnswerTrap';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team (issue 9): the cable pulled during the commit, after the server has decided and
 * stored its receipt but before the station hears the answer. The station cannot tell this from
 * a commit that never arrived; the next pass must get the very same receipt (same seq, same
 * bytes) and store it once, with one `sync.receipt` entry.
 */

const OPERATOR = { name: 'operator', password: 'a long operator passphrase' };

let server: CentralServer;
let cutter: CommitAnswerTrap;
let station: SyncStation;

beforeAll(async () => {
  server = await startCentralServer();
  await server.stop();
  const added = await runServerCommand(['user', 'add', OPERATOR.name, '--data', server.dataDir], {
    DATABASE_URL: '',
    SERVER_PASSWORD: OPERATOR.password,
  });
  if (added.code !== 0) throw new Error(added.stderr);
  await server.start();
  const url = new URL(server.url);
  cutter = new CommitAnswerTrap({ host: url.hostname, port: Number(url.port) });
  station = await openSyncStation({ sync: { backoff: { baseMs: 1, capMs: 2 } } });
  await station.call('sync.enrol', { serverUrl: await cutter.listen(), code: await server.enrolCode() });
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await cutter?.close();
  await server?.cleanup();
});

async function receivedCases(): Promise<ReceivedCase[]> {
  const res = await fetch(`${server.url}/api/cases`, {
    headers: { Authorization: `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64')}` },
  });
  return ReceivedCase.array().parse(await res.json());
}

describe('the cable pulled after the server committed', () => {
  it('gets the same receipt on the next pass and stores it once', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src'), 'cut.bin', 300_000);
    const c = await sealedApprovedCase(station, 'Cut during commit', [file]);
    cutter.armed = true;
    const first = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(cutter.trapped).toBe(1);
    expect(first?.state).toBe('waiting');
    // The server decided: the receipt exists there already.
    const held = (await receivedCases()).filter((r) => r.caseNumber === c.number);
    expect(held).toEqual([expect.objectContaining({ verification: 'verified', version: 1 })]);
    const seq = held[0]!.receiptSeq;

    const second = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(second).toMatchObject({ state: 'synced' });
    expect(second?.receipt?.seq).toBe(seq);
    expect((await receivedCases()).filter((r) => r.caseNumber === c.number)).toHaveLength(1);

    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT seq FROM sync_receipts WHERE case_id = ?').all(c.caseId)).toEqual([{ seq }]);
      expect(
        db.prepare(`SELECT count(*) AS n FROM custody WHERE subject = ? AND action = 'sync.receipt'`).get(c.caseId),
      ).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  }, 120_000);
});
