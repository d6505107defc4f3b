import Database from 'better-sqlite3';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncSummary } from '../../src/shared/syncSchemas';
import { codeOf } from '../engine/harness';
import { runCli, spawnCli } from '../engine/cliRunner';
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
 * Red team, station side of sync (issue 9): two processes syncing one station at once, and a
 * receipt edited in the station's database by someone holding the file.
 */

const MiB = 1024 * 1024;

let server: CentralServer;
let station: SyncStation;

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation();
  await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

function readOnly<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('two processes syncing one station at once', () => {
  let caseId = '';
  let number = '';

  it('ends with the version synced once: one receipt, one sync.receipt entry, both runs content', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src-two'), 'two.bin', 3 * MiB + 7);
    const c = await sealedApprovedCase(station, 'Two syncs at once', [file]);
    caseId = c.caseId;
    number = c.number;
    await station.engine.close();
    const args = ['sync', '--once', '--json', '--user', 'admin', '--data', station.dataDir];
    const [a, b] = await Promise.all([spawnCli(args).done, spawnCli(args).done]);

    const receipts = readOnly(
      (db) => db.prepare('SELECT seq FROM sync_receipts WHERE case_id = ?').all(caseId) as { seq: number }[],
    );
    expect(receipts).toHaveLength(1);
    const entries = readOnly(
      (db) =>
        db.prepare(`SELECT seq FROM custody WHERE subject = ? AND action = 'sync.receipt'`).all(caseId) as unknown[],
    );
    expect(entries).toHaveLength(1);
    for (const r of [a, b]) {
      // Neither run may report an internal failure for a version that the other one synced.
      expect(r.stderr).not.toMatch(/UNIQUE|constraint|SQLITE/i);
      const summary = SyncSummary.array().parse(JSON.parse(r.stdout));
      expect(summary.find((s) => s.case === number)?.state, r.stderr).toBe('synced');
      expect(r.code, r.stderr).toBe(0);
    }
  }, 180_000);

  it('leaves a station that is still whole: the next run says synced and sends nothing', async () => {
    const r = await runCli(['sync', '--once', '--json', '--user', 'admin', '--data', station.dataDir]);
    expect(r.code, r.stderr).toBe(0);
    const mine = SyncSummary.array()
      .parse(JSON.parse(r.stdout))
      .find((s) => s.case === number);
    expect(mine?.state).toBe('synced');
    await station.reopen();
  }, 120_000);
});

describe('a receipt edited in the station database', () => {
  it('is not exported as if the server had signed it', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src-edit'), 'edit.bin', 200_000);
    const c = await sealedApprovedCase(station, 'Edited receipt', [file]);
    const list = await station.call('sync.now', { wait: true });
    expect(list.find((s) => s.case === c.number)?.state).toBe('synced');
    let original = '';
    tamper(station.dataDir, (db) => {
      original = (
        db.prepare('SELECT receipt_json AS j FROM sync_receipts WHERE case_id = ?').get(c.caseId) as { j: string }
      ).j;
      const forged = original.replace(/"receivedAt":"[^"]+"/, '"receivedAt":"2020-01-01T00:00:00.000Z"');
      expect(forged).not.toBe(original);
      db.prepare('UPDATE sync_receipts SET receipt_json = ? WHERE case_id = ?').run(forged, c.caseId);
    });
    const dest = join(station.root, 'usb-edited-receipt');
    await mkdir(dest, { recursive: true });
    try {
      // The export checks its own copy, receipts included, and takes nothing away that does not verify.
      expect(
        await codeOf(station.call('cases.export', { caseId: c.caseId, to: dest, zip: false, jobId: 'edited-receipt' })),
      ).toBe('export.verifyFailed');
      expect(await readdir(dest)).toEqual([]);
    } finally {
      tamper(station.dataDir, (db) =>
        db.prepare('UPDATE sync_receipts SET receipt_json = ? WHERE case_id = ?').run(original, c.caseId),
      );
    }
    const restored = join(station.root, 'usb-restored-receipt');
    await mkdir(restored, { recursive: true });
    expect(
      await codeOf(
        station.call('cases.export', { caseId: c.caseId, to: restored, zip: false, jobId: 'restored-receipt' }),
      ),
    ).toBe('resolved');
  }, 120_000);
});
