import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Receipt } from '../../src/shared/syncProtocol';
import { describeEachDatabase, type TestDatabase } from '../../server/test/databases';
import { runServerCommand, startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import { importedItem } from '../engine/harness';
import { approvedCaseOf, makeEvidenceFile, openSyncStation, type SyncStation } from '../sync/syncFixtures';

/**
 * Red team 2 (issue 9): two stations commit at the same moment. On PGlite through one server; on
 * PostgreSQL each through its own server instance on the one database (the deployment the
 * receipt chain's row lock is for). Every receipt is stored once, the seqs have no gap and each
 * receipt names the SHA-256 of the one before it.
 */

const CASES_EACH = 2;

describeEachDatabase('two stations committing at once', (fixture) => {
  let db: TestDatabase;
  const servers: ServerProcess[] = [];
  const stations: SyncStation[] = [];

  beforeAll(async () => {
    db = await fixture.fresh();
    await (await db.open()).close();
    const instances = fixture.kind === 'postgres' ? 2 : 1;
    for (let i = 0; i < instances; i++) servers.push(await startServerProcess(db.dataDir, db.env));
    for (let i = 0; i < 2; i++) {
      const station = await openSyncStation();
      stations.push(station);
      const code = await runServerCommand(['enrol-code', '--data', db.dataDir], db.env);
      if (code.code !== 0) throw new Error(code.stderr);
      const server = servers[i % servers.length]!;
      await station.call('sync.enrol', { serverUrl: server.url, code: code.stdout.trim().split('\n').pop()! });
      const files = [];
      for (let c = 0; c < CASES_EACH; c++)
        files.push(await makeEvidenceFile(join(station.root, 'src'), `s${i}c${c}.bin`, 20_000));
      const record = await station.importAndWait(files, { includeNonMedia: true });
      for (let c = 0; c < CASES_EACH; c++)
        await approvedCaseOf(station, `Station ${i} case ${c}`, [importedItem(record, `s${i}c${c}.bin`).id]);
    }
  }, 240_000);

  afterAll(async () => {
    for (const s of stations) await s.cleanup();
    for (const s of servers) await s.stop();
  });

  it('stores every receipt once, the chain without a gap, each prev right', async () => {
    const passes = await Promise.all(stations.map((s) => s.call('sync.now', { wait: true })));
    for (const pass of passes) {
      expect(pass.map((v) => v.state)).toEqual(Array<string>(CASES_EACH).fill('synced'));
    }
    const texts: string[] = [];
    for (const station of stations) {
      const sdb = new Database(join(station.dataDir, 'station.db'), { readonly: true });
      try {
        const rows = sdb.prepare('SELECT receipt_json AS json FROM sync_receipts').all() as { json: string }[];
        texts.push(...rows.map((r) => r.json));
      } finally {
        sdb.close();
      }
    }
    const receipts = texts
      .map((json) => ({ json, receipt: Receipt.parse(JSON.parse(json)) }))
      .sort((a, b) => a.receipt.seq - b.receipt.seq);
    expect(receipts.map((r) => r.receipt.seq)).toEqual([1, 2, 3, 4]);
    expect(receipts[0]!.receipt.prevHash).toBe('0'.repeat(64));
    for (let i = 1; i < receipts.length; i++) {
      expect(receipts[i]!.receipt.prevHash).toBe(
        createHash('sha256')
          .update(receipts[i - 1]!.json)
          .digest('hex'),
      );
    }
    expect(new Set(receipts.map((r) => r.receipt.stationId)).size).toBe(2);
  }, 240_000);
});
