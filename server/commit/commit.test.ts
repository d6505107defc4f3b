import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/util/canonicalJson';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { ReceivedCase, Receipt, ServerError, idempotencyKeyOf } from '../../src/shared/syncProtocol';
import { describeEachDatabase, type TestDatabase } from '../test/databases';
import { runServerCommand, startServerProcess, type ServerProcess } from '../test/serverProcess';
import { commitBody, sealCases, type SealingStation } from '../upload/test/sealedPackage';
import { commit, enrolStation, opensslVerifyReceipt, receiptOf, uploadPackage } from '../upload/test/syncCalls';
import { flipByte, tamperedCopy } from '../upload/test/tamper';

/**
 * Commits of packages sealed by the real station engine, against the real server process, on
 * PGlite and PostgreSQL: the receipt (checked with openssl against the published key), the same
 * commit twice, a different body under the same key, blobs not held, tampered packages sent
 * straight to the API, and the receipt chain with two instances on one PostgreSQL.
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

const OPERATOR = { name: 'operator', password: 'a long operator passphrase' };

/** An operator added before the server starts (PGlite allows one process), to read the case list. */
async function startWithOperator(db: TestDatabase): Promise<ServerProcess> {
  const added = await runServerCommand(['user', 'add', OPERATOR.name, '--data', db.dataDir], {
    ...db.env,
    SERVER_PASSWORD: OPERATOR.password,
  });
  if (added.code !== 0) throw new Error(added.stderr);
  const server = await startServerProcess(db.dataDir, db.env);
  await enrolStation(server.url, db.dataDir, db.env, sealing.keys);
  return server;
}

async function receivedCases(url: string): Promise<ReceivedCase[]> {
  const res = await fetch(`${url}/api/cases`, {
    headers: { Authorization: `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64')}` },
  });
  expect(res.status).toBe(200);
  return ReceivedCase.array().parse(await res.json());
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describeEachDatabase('commit and receipt', (dbs) => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await dbs.fresh();
    server = await startWithOperator(db);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a commit naming files it does not hold', async () => {
    const [p] = sealing.packages;
    const answer = await commit(server.url, sealing.keys, commitBody(p!));
    expect(answer.status).toBe(409);
    const r = refusal(answer.json);
    expect(r.code).toBe('blob.missing');
    expect(r.problems.length).toBe(p!.files.length);
  });

  it('takes a sealed package and answers a receipt openssl verifies against the server key', async () => {
    const [p] = sealing.packages;
    await uploadPackage(server.url, sealing.keys, p!);
    const answer = await commit(server.url, sealing.keys, commitBody(p!));
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const got = receiptOf(answer.json);
    expect(await opensslVerifyReceipt(server.url, got)).toMatch(/Signature Verified Successfully/);
    const receipt = Receipt.parse(JSON.parse(got.receipt));
    // Canonical JSON, exactly: what was signed is what anyone re-serialises.
    expect(canonicalJson(receipt)).toBe(got.receipt);
    const serverPem = await (await fetch(`${server.url}/api/server-key`)).text();
    expect(receipt).toMatchObject({
      type: 'evidence-station/receipt',
      version: 1,
      seq: 1,
      prevHash: '0'.repeat(64),
      serverKeyFingerprint: keyFingerprint(serverPem),
      stationId: sealing.keys.id,
      stationKeyFingerprint: keyFingerprint(sealing.keys.publicKeyPem),
      caseNumber: p!.caseNumber,
      caseVersion: p!.version,
      tagManifestSha256: p!.tagManifestSha256,
      idempotencyKey: idempotencyKeyOf(sealing.keys.id, p!),
    });
    expect(receipt.files).toEqual(
      [...p!.files].sort((a, b) => Buffer.compare(Buffer.from(a.path), Buffer.from(b.path))),
    );
    expect(Date.parse(receipt.receivedAt)).not.toBeNaN();

    // The operators' list shows it verified, with its receipt.
    expect(await receivedCases(server.url)).toEqual([
      expect.objectContaining({
        caseNumber: p!.caseNumber,
        version: p!.version,
        stationId: sealing.keys.id,
        stationName: sealing.keys.name,
        verification: 'verified',
        receiptSeq: 1,
      }),
    ]);
  });

  it('answers the same commit again with the same receipt bytes, and a different body under its key with a conflict', async () => {
    const [p] = sealing.packages;
    const first = receiptOf((await commit(server.url, sealing.keys, commitBody(p!))).json);
    // The files in another order are the same request.
    const again = await commit(server.url, sealing.keys, { ...commitBody(p!), files: [...p!.files].reverse() });
    expect(again.status).toBe(200);
    expect(receiptOf(again.json)).toEqual(first);
    const changed = commitBody(p!);
    changed.files = changed.files.map((f, i) => (i === 0 ? { ...f, size: f.size + 1 } : f));
    const conflict = await commit(server.url, sealing.keys, changed);
    expect(conflict.status).toBe(409);
    expect(refusal(conflict.json).code).toBe('commit.conflict');
    // A key that is not the body's own is refused before anything is decided.
    const wrongKey = await commit(
      server.url,
      sealing.keys,
      commitBody(p!),
      `${sealing.keys.id}:other:v1:${p!.tagManifestSha256}`,
    );
    expect(wrongKey.status).toBe(400);
  });

  it('chains the next receipt to the previous one', async () => {
    const [p1, p2] = sealing.packages;
    const first = receiptOf((await commit(server.url, sealing.keys, commitBody(p1!))).json);
    await uploadPackage(server.url, sealing.keys, p2!);
    const answer = await commit(server.url, sealing.keys, commitBody(p2!));
    expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    const second = receiptOf(answer.json);
    expect(await opensslVerifyReceipt(server.url, second)).toMatch(/Signature Verified Successfully/);
    expect(Receipt.parse(JSON.parse(second.receipt))).toMatchObject({ seq: 2, prevHash: sha256(first.receipt) });
  });
});

describeEachDatabase('tampered packages sent straight to the API', (dbs) => {
  let db: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    db = await dbs.fresh();
    server = await startWithOperator(db);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function refusedProblems(p: Parameters<typeof commitBody>[0]): Promise<string[]> {
    await uploadPackage(server.url, sealing.keys, p);
    const answer = await commit(server.url, sealing.keys, commitBody(p));
    expect(answer.status, JSON.stringify(answer.json)).toBe(422);
    const r = refusal(answer.json);
    expect(r.code).toBe('commit.refused');
    // Final: the same request gets the same refusal.
    const again = await commit(server.url, sealing.keys, commitBody(p));
    expect(refusal(again.json)).toEqual(r);
    return r.problems;
  }

  it('refuses an edited evidence file, even with both manifests recomputed: the signature does not match', async () => {
    const [p] = sealing.packages;
    const original = p!.files.find((f) => f.path.startsWith('data/originals/'))!;
    const edited = await tamperedCopy(p!, (dir) => flipByte(join(dir, original.path), -100), { recompute: true });
    const problems = await refusedProblems(edited);
    expect(problems).toContainEqual(
      expect.stringMatching(/^signature: seal\/tagmanifest-sha256\.txt\.sig: the signature does not match/),
    );
  });

  it('refuses an edited file whose manifest was left alone: the file no longer matches it', async () => {
    const [, p] = sealing.packages;
    const edited = await tamperedCopy(p!, (dir) => flipByte(join(dir, 'data/report.html'), 10));
    const problems = await refusedProblems(edited);
    expect(problems).toContainEqual(
      expect.stringMatching(/^changed: data\/report\.html: SHA-256 is [0-9a-f]{64}; manifest-sha256\.txt says/),
    );
  });

  it('refuses an edited custody line', async () => {
    const [p] = sealing.packages;
    const edited = await tamperedCopy(
      p!,
      async (dir) => {
        const file = join(dir, 'data/custody.jsonl');
        const lines = (await readFile(file, 'utf8')).split('\n');
        const entry = JSON.parse(lines[0]!) as { actor: string };
        entry.actor = 'someone-else';
        lines[0] = canonicalJson(entry);
        await writeFile(file, lines.join('\n'));
      },
      { recompute: true },
    );
    const problems = await refusedProblems(edited);
    expect(problems).toContainEqual(
      expect.stringMatching(/^custody: data\/custody\.jsonl: line 1 \(seq \d+\): its hash does not recompute/),
    );
  });

  it('refuses a package signed by another key than the enrolled one', async () => {
    const [p] = sealing.packages;
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const resigned = await tamperedCopy(p!, () => Promise.resolve(), { resignWith: { privateKey, publicKeyPem } });
    const problems = await refusedProblems(resigned);
    expect(await receivedCases(server.url)).toContainEqual(
      expect.objectContaining({ caseNumber: p!.caseNumber, verification: 'refused', receiptSeq: null }),
    );
    const enrolled = keyFingerprint(sealing.keys.publicKeyPem);
    expect(problems).toContainEqual(
      expect.stringContaining(
        `fingerprint: seal/station.pub.pem: the package is signed by key ${keyFingerprint(publicKeyPem)}, not the expected ${enrolled}`,
      ),
    );
  });

  it('refuses a seal entry that does not seal this package', async () => {
    const [p1, p2] = sealing.packages;
    await uploadPackage(server.url, sealing.keys, p1!);
    const body = { ...commitBody(p1!), sealEntry: p2!.sealEntry };
    const answer = await commit(server.url, sealing.keys, body);
    expect(answer.status).toBe(422);
    expect(refusal(answer.json).problems).toContainEqual(expect.stringMatching(/^the case\.seal entry names case /));
  });
});

describeEachDatabase('two instances on one PostgreSQL', (dbs) => {
  // PGlite serves one process: two instances need PostgreSQL.
  it.skipIf(dbs.kind === 'pglite')('append to one gapless receipt chain', async () => {
    const db = await dbs.fresh();
    const first = await startServerProcess(db.dataDir, db.env);
    const second = await startServerProcess(db.dataDir, db.env);
    try {
      await enrolStation(first.url, db.dataDir, db.env, sealing.keys);
      const [p1, p2] = sealing.packages;
      await uploadPackage(first.url, sealing.keys, p1!);
      await uploadPackage(second.url, sealing.keys, p2!);
      // At once, one on each instance, and each also sent to the other instance: two receipts, no more.
      const answers = await Promise.all([
        commit(first.url, sealing.keys, commitBody(p1!)),
        commit(second.url, sealing.keys, commitBody(p2!)),
        commit(second.url, sealing.keys, commitBody(p1!)),
        commit(first.url, sealing.keys, commitBody(p2!)),
      ]);
      for (const a of answers) expect(a.status, JSON.stringify(a.json)).toBe(200);
      const receipts = answers.map((a) => receiptOf(a.json));
      expect(receipts[2]).toEqual(receipts[0]);
      expect(receipts[3]).toEqual(receipts[1]);
      const chain = [receipts[0]!, receipts[1]!].sort(
        (a, b) => Receipt.parse(JSON.parse(a.receipt)).seq - Receipt.parse(JSON.parse(b.receipt)).seq,
      );
      const parsed = chain.map((r) => Receipt.parse(JSON.parse(r.receipt)));
      expect(parsed.map((r) => r.seq)).toEqual([1, 2]);
      expect(parsed[0]!.prevHash).toBe('0'.repeat(64));
      expect(parsed[1]!.prevHash).toBe(sha256(chain[0]!.receipt));
      for (const r of chain)
        expect(await opensslVerifyReceipt(second.url, r)).toMatch(/Signature Verified Successfully/);
    } finally {
      await first.stop();
      await second.stop();
    }
  });
});
