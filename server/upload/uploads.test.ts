import { randomBytes } from 'node:crypto';
import { open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { makeSparseFile, makeTempDir } from '../../test/engine/harness';
import { describeEachDatabase, type TestDatabase } from '../test/databases';
import { startServerProcess, type ServerProcess } from '../test/serverProcess';
import { makeStationKeys, type TestStationKeys } from '../test/testStation';
import { sha256Of } from './test/sealedPackage';
import { enrolStation, have } from './test/syncCalls';
import { createUpload, patchUpload } from './test/rawTus';
import { startTcpProxy } from './test/tcpProxy';
import { flipByte } from './test/tamper';
import { tusSend, type FileToSend } from './test/tusClient';

/**
 * tus uploads through the real server process on loopback, on PGlite and PostgreSQL: a byte
 * corrupted in transit, a connection cut mid-file, a large file against the server's memory, an
 * upload another station may not touch, expiry; and, on PostgreSQL, one upload begun on one
 * instance and finished on another sharing the database and the data folder.
 */

const MiB = 1024 * 1024;
let work: string;

beforeAll(async () => {
  work = await makeTempDir('uploads');
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function randomFile(name: string, bytes: number): Promise<FileToSend> {
  const path = join(work, name);
  const handle = await open(path, 'w');
  try {
    for (let done = 0; done < bytes; done += MiB) await handle.write(randomBytes(Math.min(MiB, bytes - done)));
  } finally {
    await handle.close();
  }
  return { path, sha256: await sha256Of(path), size: bytes, name: `data/originals/${name}` };
}

/** The blob's bytes on the server: present, read-only, and the file's own. */
async function expectBlob(dataDir: string, file: FileToSend): Promise<void> {
  const blob = join(dataDir, 'blobs', file.sha256.slice(0, 2), file.sha256);
  expect((await stat(blob)).mode & 0o777).toBe(0o444);
  expect(await sha256Of(blob)).toBe(file.sha256);
}

/** The server's resident-set high-water mark (Linux), in bytes. */
async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

describeEachDatabase('tus uploads', (dbs) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let station: TestStationKeys;

  beforeAll(async () => {
    db = await dbs.fresh();
    server = await startServerProcess(db.dataDir, db.env);
    station = makeStationKeys('upload-station');
    await enrolStation(server.url, db.dataDir, db.env, station);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores a file once by its hash, and says so when asked', async () => {
    const file = await randomFile('plain.bin', 3 * MiB);
    expect(await have(server.url, station, [file.sha256])).toEqual([]);
    expect((await tusSend(server.url, station, file)).failedStatus).toBeNull();
    await expectBlob(db.dataDir, file);
    expect(await have(server.url, station, [file.sha256, 'f'.repeat(64)])).toEqual([file.sha256]);
    // The same bytes again: taken, and still one blob, the same one.
    expect((await tusSend(server.url, station, file)).failedStatus).toBeNull();
    expect(await readdir(join(db.dataDir, 'blobs', file.sha256.slice(0, 2)))).toEqual([file.sha256]);
    // Nothing is left of either upload but the blob.
    expect((await readdir(join(db.dataDir, 'uploads'))).filter((n) => !n.startsWith('.'))).toEqual([]);
    // No package holds an empty file: one is refused at creation.
    expect((await tusSend(server.url, station, await randomFile('empty.bin', 0))).failedStatus).toBe(400);
  });

  it('refuses a file whose bytes were corrupted in transit (460), and takes it sent again', async () => {
    const file = await randomFile('corrupted.bin', 4 * MiB);
    const proxy = await startTcpProxy(server.url);
    try {
      proxy.corruptAfter(2 * MiB);
      const first = await tusSend(proxy.url, station, file);
      expect(first.failedStatus).toBe(460);
      expect(JSON.parse(first.failedBody!)).toMatchObject({ error: { code: 'upload.hashMismatch' } });
      expect(await have(server.url, station, [file.sha256])).toEqual([]);
      // The partial was deleted, and its upload is gone.
      const gone = await tusSend(proxy.url, station, file, { uploadUrl: first.url!, resumeOnly: true });
      expect(gone.failedStatus).toBe(404);
      expect((await tusSend(proxy.url, station, file)).failedStatus).toBeNull();
    } finally {
      await proxy.close();
    }
    await expectBlob(db.dataDir, file);
  });

  it('resumes after a cut connection at the server offset, sending at most one chunk again', async () => {
    const chunk = 1 * MiB;
    const file = await randomFile('resumed.bin', 12 * MiB);
    const baseline = await startTcpProxy(server.url);
    const other = await randomFile('baseline.bin', 12 * MiB);
    expect((await tusSend(baseline.url, station, other, { chunkSize: chunk })).failedStatus).toBeNull();
    const uncut = baseline.forwarded();
    await baseline.close();

    const proxy = await startTcpProxy(server.url);
    try {
      // Two cuts, each in the middle of a chunk; tus-js-client resumes by itself (HEAD, then PATCH).
      const cut = proxy.cutAfter(Math.round(4.5 * MiB)).then(() => proxy.cutAfter(Math.round(3.3 * MiB)));
      const outcome = await tusSend(proxy.url, station, file, { chunkSize: chunk, retryDelays: [0, 0, 0, 0] });
      await cut;
      expect(outcome.failedStatus).toBeNull();
      // Requests other than PATCH differ by a few hundred bytes each; a whole chunk is 1 MiB.
      const sentAgain = proxy.forwarded() - uncut;
      expect(sentAgain).toBeLessThanOrEqual(2 * chunk);
      expect(sentAgain).toBeGreaterThan(0);
    } finally {
      await proxy.close();
    }
    await expectBlob(db.dataDir, file);
  });

  it('receives a large file with flat memory: the bytes are streamed to disk and hashed on a worker', async () => {
    const size = 512 * MiB;
    const path = await makeSparseFile(join(work, 'large.bin'), size);
    const file = { path, size, sha256: await sha256Of(path), name: 'data/originals/large.bin' };
    const before = await peakRss(server.child.pid!);
    expect((await tusSend(server.url, station, file)).failedStatus).toBeNull();
    const after = await peakRss(server.child.pid!);
    // A server that held the file, or any large part of it, would grow by hundreds of MiB.
    expect(after - before).toBeLessThan(96 * MiB);
    await expectBlob(db.dataDir, file);
  });

  it('reads an upload again when its file was changed on the server between two requests, and refuses it', async () => {
    const file = await randomFile('edited-between.bin', 2 * MiB);
    const bytes = await readFile(file.path);
    const url = await createUpload(server.url, station, file);
    expect((await patchUpload(server.url, station, url, 0, bytes.subarray(0, MiB))).status).toBe(204);
    // Someone with access to the server's disk edits the part already received (same size).
    await flipByte(join(db.dataDir, 'uploads', url.split('/').at(-1)!), 100);
    const last = await patchUpload(server.url, station, url, MiB, bytes.subarray(MiB));
    expect(last.status).toBe(460);
    expect(await last.json()).toMatchObject({ error: { code: 'upload.hashMismatch' } });
    expect(await have(server.url, station, [file.sha256])).toEqual([]);
  });

  it("answers another station's upload as unknown", async () => {
    const file = await randomFile('owned.bin', 2 * MiB);
    const proxy = await startTcpProxy(server.url);
    let url: string;
    try {
      const cut = proxy.cutAfter(MiB);
      const first = await tusSend(proxy.url, station, file);
      await cut;
      expect(first.failedStatus).toBe(0);
      url = first.url!.replace(proxy.url, server.url);
    } finally {
      await proxy.close();
    }
    const intruder = makeStationKeys('intruder-station');
    await enrolStation(server.url, db.dataDir, db.env, intruder);
    expect((await tusSend(server.url, intruder, file, { uploadUrl: url, resumeOnly: true })).failedStatus).toBe(404);
    // Its owner still resumes it.
    expect((await tusSend(server.url, station, file, { uploadUrl: url })).failedStatus).toBeNull();
    await expectBlob(db.dataDir, file);
  });
});

describeEachDatabase('expired uploads', (dbs) => {
  it('are deleted, files and records, and cannot be resumed', async () => {
    const db = await dbs.fresh();
    const server = await startServerProcess(db.dataDir, { ...db.env, SERVER_UPLOAD_EXPIRY_SECONDS: '2' });
    try {
      const station = makeStationKeys('expiry-station');
      await enrolStation(server.url, db.dataDir, db.env, station);
      const file = await randomFile('expiring.bin', 2 * MiB);
      const proxy = await startTcpProxy(server.url);
      let url: string;
      try {
        // Cut mid-file (on a slow machine the upload may already have expired before its bytes
        // go: either way it is left unfinished).
        void proxy.cutAfter(MiB);
        const first = await tusSend(proxy.url, station, file);
        expect(first.failedStatus).not.toBeNull();
        url = first.url!.replace(proxy.url, server.url);
      } finally {
        await proxy.close();
      }
      const id = url.split('/').at(-1)!;
      expect(await readdir(join(db.dataDir, 'uploads'))).toContain(id);
      await sleep(2_500);
      // Expired uploads are looked for when the next one is created.
      const other = await randomFile('after-expiry.bin', 1024);
      expect((await tusSend(server.url, station, other)).failedStatus).toBeNull();
      for (let i = 0; i < 100 && (await readdir(join(db.dataDir, 'uploads'))).includes(id); i++) await sleep(50);
      expect(await readdir(join(db.dataDir, 'uploads'))).not.toContain(id);
      expect((await tusSend(server.url, station, file, { uploadUrl: url, resumeOnly: true })).failedStatus).toBe(404);
    } finally {
      await server.stop();
    }
  });
});

describeEachDatabase('two instances on one database and one data folder', (dbs) => {
  // PGlite serves one process: two instances need PostgreSQL.
  it.skipIf(dbs.kind === 'pglite')('resumes on the second instance an upload begun on the first', async () => {
    const db = await dbs.fresh();
    const first = await startServerProcess(db.dataDir, db.env);
    const second = await startServerProcess(db.dataDir, db.env);
    try {
      const station = makeStationKeys('two-instance-station');
      await enrolStation(first.url, db.dataDir, db.env, station);
      const file = await randomFile('across.bin', 8 * MiB);
      const chunk = MiB;
      const proxy = await startTcpProxy(first.url);
      let url: string;
      try {
        const cut = proxy.cutAfter(Math.round(4.5 * MiB));
        const half = await tusSend(proxy.url, station, file, { chunkSize: chunk });
        await cut;
        expect(half.failedStatus).toBe(0);
        url = half.url!.replace(proxy.url, second.url);
      } finally {
        await proxy.close();
      }
      const rest = await startTcpProxy(second.url);
      try {
        const outcome = await tusSend(rest.url, station, file, {
          uploadUrl: url.replace(second.url, rest.url),
          chunkSize: chunk,
        });
        expect(outcome.failedStatus).toBeNull();
        // Only what the first instance had not written went again: the rest of the file, give or take a chunk.
        expect(rest.forwarded()).toBeLessThanOrEqual(file.size - 4.5 * MiB + chunk);
      } finally {
        await rest.close();
      }
      await expectBlob(db.dataDir, file);
      expect(await have(first.url, station, [file.sha256])).toEqual([file.sha256]);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
