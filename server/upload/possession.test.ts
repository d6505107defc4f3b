import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServerError } from '../../src/shared/syncProtocol';
import { migrate } from '../db/migrate';
import { describeEachDatabase, type TestDatabase } from '../test/databases';
import { startServerProcess, type ServerProcess } from '../test/serverProcess';
import { makeStationKeys, type TestStationKeys } from '../test/testStation';
import { commitBody, sealCases, type SealingStation } from './test/sealedPackage';
import { commit, enrolStation, have, opensslVerifyReceipt, receiptOf, uploadPackage } from './test/syncCalls';

/**
 * A station may only reference blobs it has itself delivered (server migration 3), against the
 * real server process on PGlite and PostgreSQL. Another station ("first") uploads the sealing
 * station's files before it does: the sealing station's `/have` does not reveal them, its commit
 * naming them is refused file by file like a commit naming files nobody sent, and once it has
 * uploaded the same bytes itself (hashed and checked, stored once) it gets its receipt. And a
 * database a server before migration 3 filled is given possession from its receipts.
 */

let sealing: SealingStation;

beforeAll(async () => {
  sealing = await sealCases([['h264', 'photoGps'], ['review']]);
}, 300_000);
afterAll(async () => {
  await sealing?.cleanup();
});

function refusal(json: unknown): { code: string; problems: string[] } {
  const e = ServerError.parse(json).error;
  return { code: e.code, problems: e.problems ?? [] };
}

describeEachDatabase('blobs a station did not deliver', (dbs) => {
  let db: TestDatabase;
  let server: ServerProcess;
  let first: TestStationKeys;

  beforeAll(async () => {
    db = await dbs.fresh();
    server = await startServerProcess(db.dataDir, db.env);
    first = makeStationKeys('first-station');
    await enrolStation(server.url, db.dataDir, db.env, first);
    await enrolStation(server.url, db.dataDir, db.env, sealing.keys);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const blobPath = (sha256: string): string => join(db.dataDir, 'blobs', sha256.slice(0, 2), sha256);

  it("are not in another station's /have answer, and a commit naming them is refused naming each file", async () => {
    const [p, untouched] = sealing.packages;
    const hashes = p!.files.map((f) => f.sha256);
    await uploadPackage(server.url, first, p!);
    expect(new Set(await have(server.url, first, hashes))).toEqual(new Set(hashes));
    // Held on the server, but the sealing station never sent them.
    expect(await have(server.url, sealing.keys, hashes)).toEqual([]);

    const answer = await commit(server.url, sealing.keys, commitBody(p!));
    expect(answer.status).toBe(409);
    const refused = refusal(answer.json);
    expect(refused.code).toBe('blob.missing');
    expect(refused.problems).toEqual(p!.files.map((f) => `${f.path} (${f.sha256})`));

    // Files nobody sent are refused in the same words: the refusal is no oracle either.
    const nobody = await commit(server.url, sealing.keys, commitBody(untouched!));
    expect(nobody.status).toBe(409);
    expect(refusal(nobody.json)).toEqual({
      code: 'blob.missing',
      problems: untouched!.files.map((f) => `${f.path} (${f.sha256})`),
    });
    expect(ServerError.parse(nobody.json).error.message).toBe(ServerError.parse(answer.json).error.message);
  });

  it('takes the same bytes from the station itself into the one blob already held, then gives its receipt', async () => {
    const [p] = sealing.packages;
    const before = new Map<string, { ino: number; nlink: number }>();
    for (const f of p!.files) before.set(f.sha256, await stat(blobPath(f.sha256)));

    await uploadPackage(server.url, sealing.keys, p!);
    expect(
      new Set(
        await have(
          server.url,
          sealing.keys,
          p!.files.map((f) => f.sha256),
        ),
      ),
    ).toEqual(new Set(p!.files.map((f) => f.sha256)));
    // Still one file per blob: the same inode, with no second name left behind in the uploads.
    for (const f of p!.files) {
      const after = await stat(blobPath(f.sha256));
      expect(after.ino, f.path).toBe(before.get(f.sha256)!.ino);
      expect(after.nlink, f.path).toBe(1);
    }

    // The refusal before was not a decision: the same idempotency key now gets the receipt.
    const answer = await commit(server.url, sealing.keys, commitBody(p!));
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(await opensslVerifyReceipt(server.url, receiptOf(answer.json))).toMatch(/Signature Verified Successfully/);
  });
});

describeEachDatabase('an upgrade to migration 3', (dbs) => {
  it('backfills possession from what a server before it received and receipted, so nothing is sent again', async () => {
    const db = await dbs.fresh();
    const [p] = sealing.packages;
    const hashes = [...new Set(p!.files.map((f) => f.sha256))].sort();
    let server = await startServerProcess(db.dataDir, db.env);
    let first: ReturnType<typeof receiptOf>;
    try {
      await enrolStation(server.url, db.dataDir, db.env, sealing.keys);
      await uploadPackage(server.url, sealing.keys, p!);
      const answer = await commit(server.url, sealing.keys, commitBody(p!));
      expect(answer.status, JSON.stringify(answer.json)).toBe(200);
      first = receiptOf(answer.json);
    } finally {
      await server.stop();
    }

    // The same database as a server before migration 3 left it, its finished uploads expired:
    // only the commit and its receipt say which station delivered the files.
    const sql = await db.open();
    await sql.query('DROP TABLE blob_possession');
    await sql.query('DELETE FROM server_migrations WHERE version = 3');
    await sql.query('DELETE FROM uploads');
    expect(await migrate(sql)).toBe(3);
    const rows = await sql.query<{ station_id: string; sha256: string; source: string }>(
      'SELECT station_id, sha256, source FROM blob_possession ORDER BY sha256',
    );
    await sql.close();
    expect(rows).toEqual(hashes.map((sha256) => ({ station_id: sealing.keys.id, sha256, source: 'backfill-receipt' })));

    server = await startServerProcess(db.dataDir, db.env);
    try {
      expect((await have(server.url, sealing.keys, hashes)).sort()).toEqual(hashes);
      const again = await commit(server.url, sealing.keys, commitBody(p!));
      expect(receiptOf(again.json)).toEqual(first);
    } finally {
      await server.stop();
    }
  });
});
