import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerCommand, startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import { postgresSkipReason, startPostgresCluster, type PostgresCluster } from '../../server/test/postgresCluster';
import { makeTempDir, removeTree } from '../engine/harness';
import { makeEvidenceFile, openSyncStation, sealedApprovedCase, type SyncStation } from '../sync/syncFixtures';
import { CommitAnswerTrap } from '../sync/commitAnswerTrap';

/**
 * Red team 2 (issue 9): attack3's commitCut.test.ts pulls the cable after the server committed,
 * on PGlite. The same on PostgreSQL, twice: the answer lost on the line, then the server process
 * SIGKILLed the moment its answer starts (the receipt committed, the station told nothing). Each
 * time the station's next pass gets the same receipt, stores it once, and the chain has no gap.
 */

const skip = postgresSkipReason();

describe.skipIf(skip !== null)('the commit answer lost, on PostgreSQL', () => {
  let cluster: PostgresCluster;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let server: ServerProcess;
  let trap: CommitAnswerTrap;
  let station: SyncStation;
  let killOnTrap = false;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    dataDir = await makeTempDir('central-pg');
    env = { DATABASE_URL: await cluster.createDatabase() };
    server = await startServerProcess(dataDir, env);
    const url = new URL(server.url);
    trap = new CommitAnswerTrap({ host: url.hostname, port: Number(url.port) }, () => {
      if (killOnTrap) server.child.kill('SIGKILL');
    });
    station = await openSyncStation({ sync: { backoff: { baseMs: 1, capMs: 2 } } });
    const code = await runServerCommand(['enrol-code', '--data', dataDir], env);
    await station.call('sync.enrol', { serverUrl: await trap.listen(), code: code.stdout.trim().split('\n').pop()! });
  }, 180_000);

  afterAll(async () => {
    await station?.cleanup();
    await trap?.close();
    await server?.stop();
    await cluster?.stop();
    if (dataDir) await removeTree(dataDir);
  });

  async function lostAnswerThenRetry(title: string, file: string): Promise<void> {
    const c = await sealedApprovedCase(station, title, [
      await makeEvidenceFile(join(station.root, 'src'), file, 50_000),
    ]);
    trap.armed = true;
    const first = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(first?.state).toBe('waiting');
    if (killOnTrap) {
      await server.stop();
      server = await startServerProcess(dataDir, env, ['--port', new URL(server.url).port]);
    }
    const second = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(second).toMatchObject({ state: 'synced' });
  }

  it('gets the same receipt after the answer was lost on the line, and after the server was killed', async () => {
    await lostAnswerThenRetry('Cut on PostgreSQL', 'cut.bin');
    killOnTrap = true;
    await lostAnswerThenRetry('Killed on PostgreSQL', 'killed.bin');
    expect(trap.trapped).toBe(2);
    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT seq FROM sync_receipts ORDER BY seq').all()).toEqual([{ seq: 1 }, { seq: 2 }]);
      expect(db.prepare(`SELECT count(*) AS n FROM custody WHERE action = 'sync.receipt'`).get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  }, 180_000);
});
