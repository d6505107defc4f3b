import { execFile } from 'node:child_process';
import { readFile, writeFile, mkdir, chmod, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import type { SyncSummary } from '../../src/shared/syncSchemas';
import { Receipt } from '../../src/shared/syncProtocol';
import { runCli } from '../engine/cliRunner';
import { CuttingProxy } from './cuttingProxy';
import {
  approvedCaseOf,
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from './syncFixtures';

/**
 * Sync end to end with the real central server as a process on loopback and a real station
 * engine: a sealed and approved case is uploaded with tus and committed; the receipt verifies
 * against the pinned key (and with openssl), is stored, and later exports carry it; `verify` checks
 * it and finds a tampered one. Faults: the server down at the start (the station waits with the
 * reason, then succeeds), the connection cut mid-file several times by a proxy (each cut costs at
 * most one chunk), the server restarted mid-upload, a revoked station. Nothing is stored twice:
 * the server's blob store holds each file once.
 */

const run = promisify(execFile);
const MiB = 1024 * 1024;
const CHUNK = 1 * MiB;
/** Headers of the tus, nonce and commit requests: far below one chunk, whatever the number of requests. */
const OVERHEAD = 256 * 1024;

let server: CentralServer;
let proxy: CuttingProxy;
let station: SyncStation;

beforeAll(async () => {
  server = await startCentralServer();
  const url = new URL(server.url);
  proxy = new CuttingProxy({ host: url.hostname, port: Number(url.port) });
  const proxied = await proxy.listen();
  // Retries right away (the test says when to try again); small chunks so a cut costs little.
  station = await openSyncStation({ sync: { chunkSize: CHUNK, backoff: { baseMs: 1, capMs: 2 }, stallMs: 30_000 } });
  await station.call('sync.enrol', { serverUrl: proxied, code: await server.enrolCode() });
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await proxy?.close();
  await server?.cleanup();
});

async function syncUntilSettled(caseNumber: string, passes = 20): Promise<SyncSummary> {
  for (let i = 0; i < passes; i++) {
    const list = await station.call('sync.now', { wait: true });
    const mine = list.find((s) => s.case === caseNumber);
    if (mine && (mine.state === 'synced' || mine.state === 'refused')) return mine;
  }
  throw new Error(`${caseNumber} did not settle in ${passes} passes`);
}

async function blobFiles(): Promise<string[]> {
  const root = join(server.dataDir, 'blobs');
  const out: string[] = [];
  for (const dir of await readdir(root).catch(() => [] as string[]))
    for (const name of await readdir(join(root, dir)).catch(() => [] as string[])) out.push(name);
  return out.sort();
}

describe('sync of a sealed and approved case', () => {
  let synced: SyncSummary;
  let caseId: string;
  let itemIds: string[];
  let exported: string;

  it('uploads, commits and keeps a receipt the pinned server key signed', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src1'), 'cam1.bin', 3 * MiB + 123);
    const c = await sealedApprovedCase(station, 'Flow', [file]);
    caseId = c.caseId;
    itemIds = c.itemIds;
    synced = await syncUntilSettled(c.number);
    expect(synced).toMatchObject({ case: c.number, version: 1, state: 'synced', refusedReason: null });
    expect(synced.receipt?.tagManifestSha256).toBe(c.tagManifestSha256);
    const pem = await readFile(join(server.dataDir, 'keys', 'server.pub.pem'), 'utf8');
    expect(synced.receipt?.serverKeyFingerprint).toBe(keyFingerprint(pem));
    expect(synced.filesSent).toBeGreaterThan(0);
    expect(synced.bytesSent).toBeGreaterThanOrEqual(3 * MiB);

    const versions = await station.call('cases.versions', { caseId });
    expect(versions.at(-1)).toMatchObject({ state: 'synced' });
    const actions = (await station.call('custody.list', { subject: caseId, limit: 500 })).entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['case.queue', 'sync.receipt', 'case.sync']));
    // The evidence is still here: sync deletes nothing.
    const status = await station.call('sync.status', {});
    const v = status.versions.find((x) => x.caseId === caseId)!;
    expect(v.files.every((f) => f.state === 'done')).toBe(true);
  });

  it('exports the receipt with the server key; openssl and verify accept it, and find a tampered one', async () => {
    const dest = join(station.root, 'usb');
    await mkdir(dest, { recursive: true });
    exported = (await station.call('cases.export', { caseId, to: dest, zip: false, jobId: 'sync-export' })).path;
    const seq = synced.receipt!.seq;
    const receiptText = await readFile(join(exported, 'seal', `receipt-${seq}.json`), 'utf8');
    const receipt = Receipt.parse(JSON.parse(receiptText));
    expect(receipt.seq).toBe(seq);
    await run(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'seal/server.pub.pem',
        '-rawin',
        '-in',
        `seal/receipt-${seq}.json`,
        '-sigfile',
        `seal/receipt-${seq}.json.sig`,
      ],
      { cwd: exported },
    );
    const report = await verifyPackage(exported);
    expect(report.ok, JSON.stringify(report.problems)).toBe(true);
    expect(report.receipts).toEqual([expect.objectContaining({ seq, verified: true })]);
    const cli = await runCli(['verify', exported]);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stdout).toContain(`received by the central server: receipt ${seq}`);

    const path = join(exported, 'seal', `receipt-${seq}.json`);
    await chmod(path, 0o644);
    await writeFile(path, receiptText.replace(`"caseVersion":1`, `"caseVersion":2`));
    const tampered = await verifyPackage(exported);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems.map((p) => p.kind)).toContain('receipt');
  });

  it('sends nothing the server holds: a second case of the same file uploads only its own files', async () => {
    const blobsBefore = await blobFiles();
    // Another case holding the same bytes: the server already has them, so none is uploaded.
    const again = await approvedCaseOf(station, 'Same bytes', itemIds);
    const before = proxy.forwardedUp;
    const result = await syncUntilSettled(again.number);
    expect(result.state).toBe('synced');
    const status = await station.call('sync.status', {});
    const files = status.versions.find((x) => x.caseId === again.caseId)!.files;
    expect(files.find((f) => f.path.startsWith('data/originals/'))?.done).toBe('held');
    expect(proxy.forwardedUp - before).toBeLessThan(3 * MiB);
    const blobsAfter = await blobFiles();
    expect(new Set(blobsAfter).size).toBe(blobsAfter.length);
    expect(blobsAfter.length).toBeGreaterThan(blobsBefore.length);
  });
});

describe('faults', () => {
  it('waits with the reason while the server is down, then succeeds', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src2'), 'cam2.bin', 2 * MiB);
    const c = await sealedApprovedCase(station, 'Down at start', [file]);
    await server.stop();
    const [first] = (await station.call('sync.now', { wait: true })).filter((s) => s.case === c.number);
    expect(first).toMatchObject({ state: 'waiting', lastProblem: { code: 'network' } });
    const status = await station.call('sync.status', {});
    expect(status.versions.find((v) => v.caseId === c.caseId)?.attempts).toBeGreaterThan(0);
    await server.start();
    expect((await syncUntilSettled(c.number)).state).toBe('synced');
  });

  it('resumes after the connection is cut mid-file three times, re-sending at most a chunk per cut', async () => {
    const size = 8 * MiB;
    const file = await makeEvidenceFile(join(station.root, 'src3'), 'cam3.bin', size);
    const c = await sealedApprovedCase(station, 'Cut three times', [file]);
    const start = proxy.forwardedUp;
    proxy.cutAt([start + 2.5 * MiB, start + 4.3 * MiB, start + 6.1 * MiB]);
    const cutsBefore = proxy.cutsMade;
    const result = await syncUntilSettled(c.number);
    expect(result.state).toBe('synced');
    expect(proxy.cutsMade - cutsBefore).toBe(3);
    const sentOnTheWire = proxy.forwardedUp - start;
    expect(sentOnTheWire).toBeLessThanOrEqual(size + 3 * CHUNK + OVERHEAD + 256 * 1024);
  });

  it('sends a file again from the start when a byte was corrupted on the way', async () => {
    const size = 3 * MiB;
    const file = await makeEvidenceFile(join(station.root, 'src7'), 'cam7.bin', size);
    const c = await sealedApprovedCase(station, 'Corrupted in transit', [file]);
    proxy.corruptAt([proxy.forwardedUp + 1.5 * MiB]);
    const [first] = (await station.call('sync.now', { wait: true })).filter((s) => s.case === c.number);
    expect(first).toMatchObject({ state: 'waiting', lastProblem: { code: 'upload.hashMismatch' } });
    expect((await syncUntilSettled(c.number)).state).toBe('synced');
    // The server kept only the right bytes: its blob of the file is named by the file's true hash.
    const status = await station.call('sync.status', {});
    const original = status.versions
      .find((v) => v.caseId === c.caseId)!
      .files.find((f) => f.path.startsWith('data/originals/'))!;
    expect(original.done).toBe('uploaded');
    expect(await blobFiles()).toContain(original.sha256);
  });

  it('resumes at the server offset after the server restarts mid-upload', async () => {
    const size = 6 * MiB;
    const file = await makeEvidenceFile(join(station.root, 'src4'), 'cam4.bin', size);
    const c = await sealedApprovedCase(station, 'Server restart', [file]);
    // Slow enough that the restart lands mid-file.
    await station.call('sync.settings', { bandwidthBytesPerSec: 2 * MiB });
    const start = proxy.forwardedUp;
    const pass = station.call('sync.now', { wait: true });
    for (;;) {
      const status = await station.call('sync.status', {});
      const v = status.versions.find((x) => x.caseId === c.caseId);
      const big = v?.files.find((f) => f.size === size);
      if (big && big.bytesDone > 2 * MiB) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await server.stop();
    await pass;
    await server.start();
    await station.call('sync.settings', { bandwidthBytesPerSec: null });
    expect((await syncUntilSettled(c.number)).state).toBe('synced');
    expect(proxy.forwardedUp - start).toBeLessThanOrEqual(size + CHUNK + OVERHEAD + 256 * 1024);
  });

  it('waits outside the daily window without counting a failure, and goes when the window allows', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src8'), 'cam8.bin', 64 * 1024);
    const c = await sealedApprovedCase(station, 'Night window', [file]);
    // A window that starts two hours from now (station time) and lasts one hour: now is outside.
    const hh = (offset: number) => String((new Date().getHours() + offset) % 24).padStart(2, '0');
    await station.call('sync.settings', { window: { start: `${hh(2)}:00`, end: `${hh(3)}:00` } });
    const [mine] = (await station.call('sync.now', { wait: true })).filter((s) => s.case === c.number);
    expect(mine).toMatchObject({ state: 'waiting', lastProblem: { code: 'window' } });
    const status = await station.call('sync.status', {});
    expect(status.outsideWindow).toBe(true);
    const v = status.versions.find((x) => x.caseId === c.caseId)!;
    expect(v.attempts).toBe(0);
    expect(v.files).toEqual([]);
    await station.call('sync.settings', { window: null });
    expect((await syncUntilSettled(c.number)).state).toBe('synced');
    const { total } = await station.call('custody.list', { limit: 1 });
    const latest = await station.call('custody.list', { offset: Math.max(0, total - 100), limit: 100 });
    const settings = latest.entries.filter((e) => e.action === 'sync.settings').slice(-2);
    expect(settings.map((e) => e.details.after)).toEqual([
      { bandwidthBytesPerSec: null, window: { start: `${hh(2)}:00`, end: `${hh(3)}:00` } },
      { bandwidthBytesPerSec: null, window: null },
    ]);
  });

  it('shows a revoked station as waiting, with the reason', async () => {
    const file = await makeEvidenceFile(join(station.root, 'src5'), 'cam5.bin', 64 * 1024);
    const c = await sealedApprovedCase(station, 'Revoked', [file]);
    const { stationId } = await station.call('station.status', {});
    const revoked = await server.run(['station', 'revoke', stationId]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const [mine] = (await station.call('sync.now', { wait: true })).filter((s) => s.case === c.number);
    expect(mine).toMatchObject({ state: 'waiting', lastProblem: { code: 'station.revoked' } });
    const versions = await station.call('cases.versions', { caseId: c.caseId });
    expect(versions.at(-1)?.state).toBe('queued');
  });
});

describe('the background worker', () => {
  it('queues and sends an approval made on an enrolled station without being asked', async () => {
    // An engine that lives on (the app, `serve`): background passes, woken by the approval.
    const live = await openSyncStation({ sync: { background: true, backoff: { baseMs: 1, capMs: 2 } } });
    try {
      await live.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
      const changes: Array<string | null> = [];
      live.engine.on('sync.changed', (e) => changes.push(e.caseId));
      const file = await makeEvidenceFile(join(live.root, 'src'), 'cam6.bin', 512 * 1024);
      const c = await sealedApprovedCase(live, 'In the background', [file]);
      for (;;) {
        const v = (await live.call('sync.status', {})).versions.find((x) => x.caseId === c.caseId);
        if (v?.state === 'synced') break;
        expect(v?.state).not.toBe('refused');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(changes).toContain(c.caseId);
      const versions = await live.call('cases.versions', { caseId: c.caseId });
      expect(versions.at(-1)?.state).toBe('synced');
    } finally {
      await live.cleanup();
    }
  });
});
