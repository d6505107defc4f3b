import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncSummary } from '../../src/shared/syncSchemas';
import { CLI_PASSWORD, runCli, spawnCli, whenCli } from '../engine/cliRunner';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';
import { importedItem } from '../engine/harness';

/**
 * Red team (issue 9): `serve` running (its engine syncs in the background as it starts) while
 * `sync --once` runs from the command line at the same moment; and the sealer approving through
 * the web host's API, the door the browser uses.
 */

let server: CentralServer;
let station: SyncStation;
let number = '';
let caseId = '';
let sealedOnly = '';

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation();
  await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
  await server.stop();
  const file = await makeEvidenceFile(join(station.root, 'src'), 'serve.bin', 2 * 1024 * 1024);
  const c = await sealedApprovedCase(station, 'Serve and CLI at once', [file]);
  number = c.number;
  caseId = c.caseId;
  const other = await makeEvidenceFile(join(station.root, 'src2'), 'sealed-only.bin', 10_000);
  const record = await station.importAndWait([other], { includeNonMedia: true });
  const d = await station.call('cases.create', { title: 'Sealed by the admin only', place: '外滩' });
  await station.call('cases.addItems', { caseId: d.id, itemIds: [importedItem(record, 'sealed-only.bin').id] });
  sealedOnly = d.id;
  await station.call('cases.seal', { caseId: d.id });
  await station.engine.close();
  await server.start();
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

describe('serve and the command line on one station', () => {
  it('syncs once while both try, and refuses the sealer approving through the web API', async () => {
    const serve = spawnCli(['serve', '--data', station.dataDir]);
    try {
      await whenCli(serve, () => serve.stdout().includes('token='));
      const sync = await runCli(['sync', '--once', '--json', '--user', 'admin', '--data', station.dataDir]);
      expect(sync.code, sync.stderr).toBe(0);
      const mine = SyncSummary.array()
        .parse(JSON.parse(sync.stdout))
        .find((s) => s.case === number);
      expect(mine?.state).toBe('synced');

      const url = new URL(serve.stdout().trim().split('\n')[0]!);
      const visit = await fetch(url, { redirect: 'manual' });
      const cookie = (visit.headers.get('set-cookie') ?? '').split(';')[0]!;
      const call = async (
        method: string,
        input: object,
        sessionId = '',
      ): Promise<{ ok: boolean; value?: unknown; error?: { code?: string } }> => {
        const res = await fetch(`${url.origin}/api/call/${method}`, {
          method: 'POST',
          headers: {
            cookie,
            'content-type': 'application/json',
            ...(sessionId ? { 'x-station-session': sessionId } : {}),
          },
          body: JSON.stringify(input),
        });
        return (await res.json()) as { ok: boolean; value?: unknown; error?: { code?: string } };
      };
      const admin = (await call('auth.signIn', { name: 'admin', password: CLI_PASSWORD })).value as {
        sessionId: string;
      };
      const approve = await call('cases.approve', { caseId: sealedOnly }, admin.sessionId);
      expect(approve).toMatchObject({ ok: false, error: { code: 'approval.ownSeal' } });
      const nobody = await call('cases.approve', { caseId: sealedOnly });
      expect(nobody.ok).toBe(false);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
    const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM sync_receipts WHERE case_id = ?').get(caseId)).toEqual({ n: 1 });
      expect(
        db.prepare(`SELECT count(*) AS n FROM custody WHERE subject = ? AND action = 'sync.receipt'`).get(caseId),
      ).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    await station.reopen();
  }, 180_000);
});
