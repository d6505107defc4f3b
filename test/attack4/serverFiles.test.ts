import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmod, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceivedCase, Receipt } from '../../src/shared/syncProtocol';
import { runServerCommand } from '../../server/test/serverProcess';
import { importedItem } from '../engine/harness';
import { CommitAnswerTrap } from '../sync/commitAnswerTrap';
import {
  makeEvidenceFile,
  openSyncStation,
  approvedCaseOf,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team 2 (issue 9): the server's own files. The server killed outright just after it answered
 * a commit; a blob damaged on its disk after a receipt named it; its private key made readable to
 * all. Real server process (PGlite), real station.
 */

const OPERATOR = { name: 'operator', password: 'a long operator passphrase' };

let server: CentralServer;
let station: SyncStation;
let proxy: CommitAnswerTrap;
let evidence: string;
let itemId: string;

beforeAll(async () => {
  server = await startCentralServer();
  await server.stop();
  const added = await runServerCommand(['user', 'add', OPERATOR.name, '--data', server.dataDir], {
    DATABASE_URL: '',
    SERVER_PASSWORD: OPERATOR.password,
  });
  if (added.code !== 0) throw new Error(added.stderr);
  await server.start();
  station = await openSyncStation({ sync: { backoff: { baseMs: 1, capMs: 2 } } });
  const url = new URL(server.url);
  proxy = new CommitAnswerTrap({ host: url.hostname, port: Number(url.port) }, () =>
    server.process.child.kill('SIGKILL'),
  );
  await station.call('sync.enrol', { serverUrl: await proxy.listen(), code: await server.enrolCode() });
  evidence = await makeEvidenceFile(join(station.root, 'src'), 'shared.bin', 200_000);
  const record = await station.importAndWait([evidence], { includeNonMedia: true });
  itemId = importedItem(record, 'shared.bin').id;
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await proxy?.close();
  await server?.cleanup();
});

async function receivedCases(): Promise<ReceivedCase[]> {
  const res = await fetch(`${server.url}/api/cases`, {
    headers: { Authorization: `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64')}` },
  });
  return ReceivedCase.array().parse(await res.json());
}

/** The station's stored receipts, oldest first. */
function stationReceipts(): Receipt[] {
  const db = new Database(join(station.dataDir, 'station.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT receipt_json AS json FROM sync_receipts ORDER BY seq').all() as { json: string }[];
    return rows.map((r) => Receipt.parse(JSON.parse(r.json)));
  } finally {
    db.close();
  }
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A new case holding the same evidence item (so the same blob), approved and synced. */
async function syncAnotherCaseOfTheSameBytes(title: string) {
  const c = await approvedCaseOf(station, title, [itemId]);
  const status = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
  return { c, status };
}

function blobPath(hash: string): string {
  return join(server.dataDir, 'blobs', hash.slice(0, 2), hash);
}

describe('the server killed (SIGKILL) right after it answered a commit', () => {
  it('still holds the receipt when it starts again, and the next receipt chains to it', async () => {
    const { c, status } = await syncAnotherCaseOfTheSameBytes('Killed after answer');
    expect(status).toMatchObject({ state: 'synced' });
    const seq = status!.receipt!.seq;
    // No SIGTERM, no close: whatever PGlite had not written to disk is lost now.
    server.process.child.kill('SIGKILL');
    await server.process.stop();
    await server.start();
    expect((await receivedCases()).filter((r) => r.caseNumber === c.number)).toEqual([
      expect.objectContaining({ verification: 'verified', receiptSeq: seq }),
    ]);

    const next = await syncAnotherCaseOfTheSameBytes('After the kill');
    expect(next.status).toMatchObject({ state: 'synced' });
    const receipts = stationReceipts();
    expect(receipts.map((r) => r.seq)).toEqual(receipts.map((_, i) => i + 1));
    const first = new Database(join(station.dataDir, 'station.db'), { readonly: true });
    try {
      const rows = first.prepare('SELECT receipt_json AS json FROM sync_receipts ORDER BY seq').all() as {
        json: string;
      }[];
      for (let i = 1; i < rows.length; i++) expect(receipts[i]!.prevHash).toBe(sha256(rows[i - 1]!.json));
    } finally {
      first.close();
    }
  }, 120_000);
});

describe('the server killed (SIGKILL) after its receipt was stored, before the answer left', () => {
  it("answers the station's retry with the same receipt, stored once, the chain without a gap", async () => {
    proxy.armed = true;
    const { c, status } = await syncAnotherCaseOfTheSameBytes('Killed before answer');
    expect(proxy.trapped).toBe(1);
    expect(status).toMatchObject({ state: 'waiting' });
    await server.process.stop();
    await server.start();
    const held = (await receivedCases()).filter((r) => r.caseNumber === c.number);
    expect(held).toEqual([expect.objectContaining({ verification: 'verified' })]);

    const retried = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(retried).toMatchObject({ state: 'synced' });
    expect(retried?.receipt?.seq).toBe(held[0]!.receiptSeq);
    expect((await receivedCases()).filter((r) => r.caseNumber === c.number)).toHaveLength(1);
    const receipts = stationReceipts();
    expect(receipts.map((r) => r.seq)).toEqual(receipts.map((_, i) => i + 1));
    expect(receipts.filter((r) => r.caseNumber === c.number)).toHaveLength(1);
  }, 120_000);
});

describe('a blob deleted on the server after a receipt named it', () => {
  it('is uploaded again by the next case that holds the same bytes', async () => {
    const hash = sha256(await readFile(evidence));
    await rm(blobPath(hash), { force: true });
    const { status } = await syncAnotherCaseOfTheSameBytes('After deletion');
    expect(status).toMatchObject({ state: 'synced' });
    expect(sha256(await readFile(blobPath(hash)))).toBe(hash);
  }, 120_000);
});

describe("the server's private key made readable to everyone", () => {
  it('keeps the server from starting, and says how to put it right', async () => {
    await server.stop();
    const key = join(server.dataDir, 'keys', 'server.key.pem');
    await chmod(key, 0o644);
    try {
      const r = await runServerCommand(['--data', server.dataDir, '--port', '0'], { DATABASE_URL: '' });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/readable by other users.*chmod 600/);
    } finally {
      await chmod(key, 0o600);
      await server.start();
    }
  }, 60_000);
});

/*
 * Was a break (red team 2): the commit verified a package from the blob names, never from the
 * bytes, so a blob edited in place (same size) after its receipt was vouched for by receipt n+1.
 * Now every blob is read again at commit; a damaged one is moved aside to blobs/damaged/ and
 * counts as missing, so the station sends it again and the case syncs on the good bytes.
 */
describe('a blob edited on the server (same size) after a receipt named it', () => {
  it('is not vouched for by a new receipt: it is moved aside, sent again, and the case syncs on the good bytes', async () => {
    const bytes = await readFile(evidence);
    const hash = sha256(bytes);
    const path = blobPath(hash);
    const edited = Buffer.from(bytes);
    edited[100] = edited[100]! ^ 0xff;
    await chmod(path, 0o644);
    await writeFile(path, edited);
    await chmod(path, 0o444);
    const { c, status } = await syncAnotherCaseOfTheSameBytes('After an edit');
    expect(status?.receipt ?? null).toBeNull();
    expect(status?.lastProblem?.code).toBe('blob.missing');
    expect((await receivedCases()).filter((r) => r.caseNumber === c.number && r.verification === 'verified')).toEqual(
      [],
    );
    const damaged = await readdir(join(server.dataDir, 'blobs', 'damaged'));
    expect(damaged.some((name) => name.startsWith(`${hash}-`))).toBe(true);
    const again = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
    expect(again).toMatchObject({ state: 'synced' });
    expect(sha256(await readFile(path))).toBe(hash);
  }, 120_000);
});

/*
 * Was a break (red team 2): the station sent a truncated blob again, but `place` found its name
 * taken (EEXIST) and kept the damaged file, so every retry sent the whole file again for ever.
 * Now `place` checks the file in place and moves a damaged one aside for the checked upload.
 */
describe('a blob truncated on the server after a receipt named it', () => {
  it('is uploaded again by the next case that holds the same bytes, and the server holds it whole', async () => {
    const hash = sha256(await readFile(evidence));
    const path = blobPath(hash);
    await chmod(path, 0o644);
    await truncate(path, 1000);
    await chmod(path, 0o444);
    const { status } = await syncAnotherCaseOfTheSameBytes('After truncation');
    expect(status).toMatchObject({ state: 'synced' });
    expect(sha256(await readFile(path))).toBe(hash);
  }, 120_000);
});
