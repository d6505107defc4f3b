import Database from 'better-sqlite3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { openDatabase } from '../../server/db/open';
import { tamper } from '../engine/tamper';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team 2 (issue 9): rows of the station's database edited by someone holding the file, on the
 * way out. First, two queued versions pointed at each other's sealed package (`package_name`):
 * sent as they are, the server would find case B's package under case A's commit and refuse it
 * for good, under A's idempotency key, so A could never be sent again; the station must see that
 * the package is not the version's (its tag manifest) and wait, sending no commit.
 *
 * Then the enrolment pointed at a server of the editor's own: the pinned URL and key edited to
 * theirs, and the station's id and public key (both public) put into that server's database, so
 * it answers the station's signed requests and signs receipts with its own key. The enrolment's
 * `sync.enrol` custody entry still names the real server's URL and key: the station must not send
 * evidence to, nor take a receipt from, a server its custody log did not enrol it with.
 */

let real: CentralServer;
let impostor: CentralServer;
let station: SyncStation;

beforeAll(async () => {
  real = await startCentralServer();
  impostor = await startCentralServer();
  station = await openSyncStation({ sync: { backoff: { baseMs: 1, capMs: 2 } } });
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await real?.cleanup();
  await impostor?.cleanup();
});

describe("a version pointed at another case's package", () => {
  it('is not committed, and is not refused for good', async () => {
    const a = await sealedApprovedCase(station, 'Case A', [
      await makeEvidenceFile(join(station.root, 'src'), 'a.bin', 20_000),
    ]);
    const b = await sealedApprovedCase(station, 'Case B', [
      await makeEvidenceFile(join(station.root, 'src'), 'b.bin', 20_000),
    ]);
    // Package names are unique: the two versions swap theirs.
    tamper(station.dataDir, (db) => {
      const nameOf = (caseId: string) =>
        (db.prepare('SELECT package_name AS p FROM case_versions WHERE case_id = ?').get(caseId) as { p: string }).p;
      const [pa, pb] = [nameOf(a.caseId), nameOf(b.caseId)];
      const set = db.prepare('UPDATE case_versions SET package_name = ? WHERE case_id = ?');
      set.run(`${pa}.swap`, a.caseId);
      set.run(pa, b.caseId);
      set.run(pb, a.caseId);
    });
    await station.call('sync.enrol', { serverUrl: real.url, code: await real.enrolCode() });
    const pass = await station.call('sync.now', { wait: true });
    for (const c of [a, b]) {
      const sent = pass.find((s) => s.case === c.number);
      expect(sent?.state).toBe('waiting');
      expect(sent?.lastProblem?.code).toBe('package.unreadable');
      expect(real.process.stdout()).not.toContain(`:${c.number}:v1:`);
    }
  }, 120_000);
});

describe('an enrolment row pointed at another server in the database file', () => {
  beforeAll(async () => {
    await impostor.stop();
    const stationPem = await readFile(join(station.dataDir, 'keys', 'station.pub.pem'), 'utf8');
    const log = await station.call('custody.list', { limit: 500 });
    const stationId = (log.entries.find((e) => e.action === 'sync.enrol')!.details as { stationId: string }).stationId;
    const opened = await openDatabase(impostor.dataDir, { DATABASE_URL: '' });
    try {
      await opened.sql.query(
        `INSERT INTO stations (id, name, public_key_pem, key_fingerprint, enrolled_at) VALUES ($1, $2, $3, $4, now())`,
        [stationId, 'stolen', stationPem, keyFingerprint(stationPem)],
      );
    } finally {
      await opened.sql.close();
    }
    await impostor.start();
    const impostorPem = await readFile(join(impostor.dataDir, 'keys', 'server.pub.pem'), 'utf8');
    tamper(station.dataDir, (db) => {
      db.prepare(
        'UPDATE sync_enrolment SET server_url = ?, server_key_pem = ?, server_key_fingerprint = ? WHERE id = 1',
      ).run(impostor.url, impostorPem, keyFingerprint(impostorPem));
    });
  }, 120_000);

  it('sends nothing there and takes no receipt from it', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src'), 'diverted.bin', 20_000);
    const c = await sealedApprovedCase(station, 'Diverted', [file]);
    const refused = station.call('sync.now', { wait: true });
    await expect(refused).rejects.toMatchObject({ code: 'sync.enrolmentNotOnRecord' });
    await expect(refused).rejects.toThrow(/pinned server key/);
    expect((await station.call('cases.versions', { caseId: c.caseId })).at(-1)?.state).not.toBe('synced');
    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM sync_receipts').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
    expect(impostor.process.stdout()).not.toMatch(/upload stored|commit decided/);
  }, 120_000);
});
