import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
 * Red team (issue 9): the outbox rows edited by someone who can write the station's database but
 * not read its files. A `sync_files` row is pointed outside the sealed package, at a file of the
 * station's with its true hash and size (so the server would take it). Sync sends only the files
 * of the sealed package: a row naming anything else is a broken outbox, said in words, and no
 * byte of the other file leaves the station.
 */

let server: CentralServer;
let station: SyncStation;

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation({ sync: { backoff: { baseMs: 1, capMs: 2 } } });
  await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

async function findFile(root: string, name: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name === name).map((e) => join(e.parentPath, e.name));
}

async function serverBlobs(): Promise<string[]> {
  const entries = await readdir(join(server.dataDir, 'blobs'), { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('an outbox row pointed outside the sealed package', () => {
  it('sends nothing from outside the package', async () => {
    const secret = join(station.root, 'not-evidence.txt');
    await writeFile(secret, 'a file of the station that is not in any package\n');
    const secretSha = createHash('sha256')
      .update(await readFile(secret))
      .digest('hex');

    await server.stop();
    const file = await makeEvidenceFile(join(station.root, 'src'), 'row.bin', 100_000);
    const c = await sealedApprovedCase(station, 'Edited outbox row', [file]);
    // The server is down: the first pass lists the package's files in the outbox and waits.
    const waiting = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(waiting?.state).toBe('waiting');

    const [tagManifest] = (await findFile(station.dataDir, 'tagmanifest-sha256.txt')).filter((p) =>
      p.includes(c.number),
    );
    expect(tagManifest).toBeDefined();
    const outside = relative(dirname(tagManifest!), secret).split('\\').join('/');
    expect(outside.startsWith('../')).toBe(true);
    tamper(station.dataDir, (db) => {
      const changed = db
        .prepare(
          `UPDATE sync_files SET path = ?, sha256 = ?, size = ?
            WHERE case_id = ? AND path = 'bag-info.txt'`,
        )
        .run(outside, secretSha, 'a file of the station that is not in any package\n'.length, c.caseId);
      expect(changed.changes).toBe(1);
    });

    await server.start();
    const after = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(await serverBlobs()).not.toContain(secretSha);
    expect(after).toMatchObject({
      state: 'waiting',
      lastProblem: expect.objectContaining({ code: 'package.unreadable' }),
    });
    expect(after?.lastProblem?.detail).toContain(outside);
  }, 120_000);
});

describe('an outbox row whose hash no longer matches the package', () => {
  it('is never sent in a commit, which the server would refuse for good under the version key', async () => {
    await server.stop();
    const file = await makeEvidenceFile(join(station.root, 'src-hash'), 'hash.bin', 100_000);
    const c = await sealedApprovedCase(station, 'Edited outbox hash', [file]);
    const waiting = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(waiting?.state).toBe('waiting');
    // A bit flipped in the outbox (or an edit): the payload row now names the hash of another file
    // of the same package, which the server will hold, and says it is already there.
    let dataPath = '';
    tamper(station.dataDir, (db) => {
      const rows = db.prepare('SELECT path, sha256 FROM sync_files WHERE case_id = ?').all(c.caseId) as {
        path: string;
        sha256: string;
      }[];
      const data = rows.find((r) => r.path.startsWith('data/') && r.path.endsWith('hash.bin'))!;
      const manifest = rows.find((r) => r.path === 'manifest-sha256.txt')!;
      dataPath = data.path;
      db.prepare(`UPDATE sync_files SET sha256 = ?, done = 'held' WHERE case_id = ? AND path = ?`).run(
        manifest.sha256,
        c.caseId,
        data.path,
      );
    });
    await server.start();
    const after = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    // Not refused for good: the station sends only what its sealed package holds.
    expect(after?.state).not.toBe('refused');
    expect(after?.lastProblem?.detail ?? '').toContain(dataPath);
  }, 120_000);
});
