import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncSummary } from '../../src/shared/syncSchemas';
import { runCli, spawnCli, whenCli } from '../engine/cliRunner';
import { CuttingProxy } from './cuttingProxy';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from './syncFixtures';

/**
 * The station process SIGKILLed mid-upload (`sync --once` as a real process, through a proxy that
 * counts the bytes on the wire) and started again: the second run resumes at the offset the
 * server kept instead of starting the file over, and ends synced with its receipt. A first
 * `sync --once` that cannot finish says so with exit code 1.
 */

const MiB = 1024 * 1024;
const SIZE = 6 * MiB;

let server: CentralServer;
let proxy: CuttingProxy;
let station: SyncStation;
let number: string;

beforeAll(async () => {
  server = await startCentralServer();
  const url = new URL(server.url);
  proxy = new CuttingProxy({ host: url.hostname, port: Number(url.port) });
  const proxied = await proxy.listen();
  station = await openSyncStation();
  const file = await makeEvidenceFile(join(station.root, 'src'), 'bodycam.bin', SIZE);
  number = (await sealedApprovedCase(station, 'Killed mid-upload', [file])).number;
  await station.call('sync.enrol', { serverUrl: proxied, code: await server.enrolCode() });
  // Slow enough to be killed mid-file.
  await station.call('sync.settings', { bandwidthBytesPerSec: 1 * MiB });
  await station.engine.close();
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await proxy?.close();
  await server?.cleanup();
});

describe('sync --once killed mid-upload', { timeout: 300_000 }, () => {
  const args = () => ['sync', '--once', '--json', '--user', 'admin', '--data', station.dataDir];

  it('exits 1 when a queued version could not be synced, saying why', async () => {
    await server.stop();
    try {
      const r = await runCli(args());
      expect(r.code, r.stderr).toBe(1);
      const summary = SyncSummary.array().parse(JSON.parse(r.stdout));
      expect(summary).toEqual([expect.objectContaining({ case: number, state: 'waiting', receipt: null })]);
      expect(summary[0]?.lastProblem?.code).toBe('network');
    } finally {
      await server.start();
    }
  });

  it('resumes from the server offset in the next run and ends synced', async () => {
    const start = proxy.forwardedUp;
    const first = spawnCli(args());
    await whenCli(first, () => proxy.forwardedUp - start > 2 * MiB);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const beforeSecond = proxy.forwardedUp;
    const sentBeforeKill = beforeSecond - start;

    // The limit no longer matters: the second run only needs to send what the server lacks.
    const second = await runCli(args());
    expect(second.code, second.stderr).toBe(0);
    const summary = SyncSummary.array().parse(JSON.parse(second.stdout));
    expect(summary).toEqual([expect.objectContaining({ case: number, state: 'synced' })]);
    expect(summary[0]?.receipt?.seq).toBe(1);
    // Resumed, not started over: the second run sent less than the whole file again.
    const sentAfter = proxy.forwardedUp - beforeSecond;
    expect(sentAfter).toBeLessThan(SIZE - sentBeforeKill / 2);
    expect(sentAfter + sentBeforeKill).toBeLessThan(SIZE + 2 * MiB);
  });
});
