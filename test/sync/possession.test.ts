import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncSummary } from '../../src/shared/syncSchemas';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from './syncFixtures';

/**
 * Two real stations and the real central server (a process on loopback): the same evidence file
 * seized on both. The second station's `/have` does not say the first one's copy is held (the
 * server answers only for what the asking station delivered), so it uploads the file itself; the
 * server checks those bytes, keeps the one blob it has, and the second station gets its receipt.
 */

const MiB = 1024 * 1024;

let server: CentralServer;
let first: SyncStation;
let second: SyncStation;

beforeAll(async () => {
  server = await startCentralServer();
  first = await openSyncStation();
  second = await openSyncStation();
  await first.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
  await second.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
}, 120_000);

afterAll(async () => {
  await first?.cleanup();
  await second?.cleanup();
  await server?.cleanup();
});

async function syncUntilSettled(station: SyncStation, caseNumber: string, passes = 10): Promise<SyncSummary> {
  for (let i = 0; i < passes; i++) {
    const list = await station.call('sync.now', { wait: true });
    const mine = list.find((s) => s.case === caseNumber);
    if (mine && (mine.state === 'synced' || mine.state === 'refused')) return mine;
  }
  throw new Error(`${caseNumber} did not settle in ${passes} passes`);
}

describe('the same file seized on two stations', () => {
  it('is uploaded by each station, stored once, and each gets its own receipt', async () => {
    const original = await makeEvidenceFile(join(first.root, 'src'), 'shared-cam.bin', 2 * MiB + 7);
    const copyDir = join(second.root, 'src');
    await mkdir(copyDir, { recursive: true });
    await copyFile(original, join(copyDir, 'shared-cam.bin'));

    const a = await sealedApprovedCase(first, 'Seized here', [original]);
    expect(await syncUntilSettled(first, a.number)).toMatchObject({ state: 'synced' });

    const b = await sealedApprovedCase(second, 'Seized there', [join(copyDir, 'shared-cam.bin')]);
    const synced = await syncUntilSettled(second, b.number);
    expect(synced).toMatchObject({ state: 'synced', refusedReason: null });
    expect(synced.receipt).not.toBeNull();
    // The second station sent the evidence itself: nothing was taken as held on the first one's word.
    const status = await second.call('sync.status', {});
    const files = status.versions.find((v) => v.caseId === b.caseId)!.files;
    const evidence = files.find((f) => f.path.startsWith('data/originals/'))!;
    expect(evidence.done).toBe('uploaded');
    expect(files.every((f) => f.done === 'uploaded')).toBe(true);
    expect(synced.bytesSent).toBeGreaterThanOrEqual(2 * MiB);

    // One blob for the file on the server, one name for it on disk.
    const blobDir = join(server.dataDir, 'blobs', evidence.sha256.slice(0, 2));
    expect((await readdir(blobDir)).filter((n) => n === evidence.sha256)).toHaveLength(1);
    expect((await stat(join(blobDir, evidence.sha256))).nlink).toBe(1);
  });
});
