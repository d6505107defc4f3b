import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CommitResponse, HaveResponse, idempotencyKeyOf, type CommitRequest } from '../../../src/shared/syncProtocol';
import { enrol, signedPost, type TestStationKeys } from '../../test/testStation';
import { runServerCommand } from '../../test/serverProcess';
import type { SealedPackage } from './sealedPackage';
import { tusSend } from './tusClient';

const run = promisify(execFile);

/** A one-time code from `enrol-code` (its last line) and the station enrolled with it. */
export async function enrolStation(
  url: string,
  dataDir: string,
  env: NodeJS.ProcessEnv,
  keys: TestStationKeys,
): Promise<void> {
  const made = await runServerCommand(['enrol-code', '--data', dataDir], env);
  const code = made.stdout.trim().split('\n').at(-1) ?? '';
  const res = await enrol(url, keys, code);
  if (res.status !== 201) throw new Error(`enrolment refused: ${res.status} ${await res.text()}`);
}

export async function have(url: string, keys: TestStationKeys, hashes: string[]): Promise<string[]> {
  const { res } = await signedPost(url, keys, '/api/v1/have', JSON.stringify({ sha256: hashes }));
  if (res.status !== 200) throw new Error(`have refused: ${res.status} ${await res.text()}`);
  return HaveResponse.parse(await res.json()).have;
}

/** What a station does before a commit: ask which blobs are held, send the others. */
export async function uploadPackage(url: string, keys: TestStationKeys, p: SealedPackage): Promise<void> {
  const held = new Set(
    await have(
      url,
      keys,
      p.files.map((f) => f.sha256),
    ),
  );
  const sent = new Set<string>();
  for (const f of p.files) {
    if (held.has(f.sha256) || sent.has(f.sha256)) continue;
    const outcome = await tusSend(url, keys, {
      path: join(p.dir, f.path),
      sha256: f.sha256,
      size: f.size,
      name: f.path,
    });
    if (outcome.failedStatus !== null)
      throw new Error(`upload of ${f.path} failed: ${outcome.failedStatus} ${outcome.failedBody}`);
    sent.add(f.sha256);
  }
}

export async function commit(
  url: string,
  keys: TestStationKeys,
  body: CommitRequest,
  key = idempotencyKeyOf(keys.id, body),
): Promise<{ status: number; json: unknown }> {
  const { res } = await signedPost(url, keys, '/api/v1/commit', JSON.stringify(body), {
    tamper: (r) => {
      r.headers['Idempotency-Key'] = key;
    },
  });
  return { status: res.status, json: await res.json() };
}

export function receiptOf(json: unknown): CommitResponse {
  return CommitResponse.parse(json);
}

/** `openssl pkeyutl -verify -rawin` on the receipt's bytes, against the key the server publishes. */
export async function opensslVerifyReceipt(url: string, receipt: CommitResponse): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'es-receipt-'));
  try {
    const pem = await (await fetch(`${url}/api/server-key`)).text();
    await writeFile(join(dir, 'server.pub.pem'), pem);
    await writeFile(join(dir, 'receipt.json'), receipt.receipt);
    await writeFile(join(dir, 'receipt.json.sig'), Buffer.from(receipt.signature, 'base64'));
    const { stdout } = await run('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      join(dir, 'server.pub.pem'),
      '-rawin',
      '-in',
      join(dir, 'receipt.json'),
      '-sigfile',
      join(dir, 'receipt.json.sig'),
    ]);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
