import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/core/sync/signRequest';
import { UNSIGNED_PAYLOAD, idempotencyKeyOf, type CommitRequest } from '../../src/shared/syncProtocol';
import { runServerCommand, startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import {
  enrol,
  errorCode,
  fetchNonce,
  makeStationKeys,
  postJson,
  signedPost,
  type TestStationKeys,
} from '../../server/test/testStation';
import { makeTempDir, removeTree } from '../engine/harness';

/**
 * Red team, the central server's API straight (issue 9), on a real server process (PGlite):
 * bodies an anonymous caller sends, enrolment codes raced, commit paths that try to leave the
 * package, another station's idempotency key, and tus Upload-Length lies.
 */

let dataDir: string;
let server: ServerProcess;
const a = makeStationKeys('attack3-a', 'Station A');
const b = makeStationKeys('attack3-b', 'Station B');

async function enrolCode(): Promise<string> {
  const r = await runServerCommand(['enrol-code', '--data', dataDir], { DATABASE_URL: '' });
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.trim().split('\n').at(-1)!;
}

beforeAll(async () => {
  dataDir = await makeTempDir('attack3-server');
  server = await startServerProcess(dataDir, { DATABASE_URL: '' });
  for (const s of [a, b]) expect((await enrol(server.url, s, await enrolCode())).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeTree(dataDir);
});

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/**
 * Sends the headers of a POST declaring a body of `declared` bytes, then only `sent` of them, and
 * resolves with the status as soon as the server answers (the rest of the body never comes).
 */
function answerBeforeBody(path: string, headers: Record<string, string>, declared: number, sent: number) {
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(declared), ...headers },
    });
    req.on('response', (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      req.destroy();
    });
    req.on('error', (error) => reject(error));
    req.write(Buffer.alloc(sent, 0x20));
  });
}

describe('anonymous bodies', () => {
  it('refuses an unsigned commit before reading its body, so nobody can make the server hold 64 MiB', async () => {
    // Nothing identifies a station: the server has no reason to buffer what follows.
    expect(await answerBeforeBody('/api/v1/commit', {}, 60 * 1024 * 1024, 1024)).toBe(401);
  });

  it('refuses a commit with a forged signature before reading its body', async () => {
    const nonce = await fetchNonce(server.url, a.id);
    const headers = signRequest(b.privateKey, {
      method: 'POST',
      pathAndQuery: '/api/v1/commit',
      stationId: a.id,
      nonce,
      body: Buffer.from('{}'),
    });
    expect(await answerBeforeBody('/api/v1/commit', headers, 60 * 1024 * 1024, 1024)).toBe(401);
    // The forged request did not use the station's nonce.
    const { res } = await signedPost(server.url, a, '/api/v1/station', '{}', { nonce });
    expect(res.status).toBe(200);
  });

  it('answers deeply nested or malformed JSON as request.invalid, not as a fault', async () => {
    for (const body of ['['.repeat(60_000), `${'['.repeat(30_000)}${']'.repeat(30_000)}`, '{"stationId":', '\u0000']) {
      const res = await postJson(`${server.url}/api/v1/nonce`, body);
      expect(res.status, body.slice(0, 10)).toBe(400);
      expect(await errorCode(res)).toBe('request.invalid');
    }
  });
});

describe('enrolment codes', () => {
  it('enrols exactly one of two stations sending one code at the same moment', async () => {
    const code = await enrolCode();
    const racers = [makeStationKeys('attack3-race-1'), makeStationKeys('attack3-race-2')];
    const answers = await Promise.all(racers.map((s) => enrol(server.url, s, code)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 403]);
  });
});

describe('commits', () => {
  const files = (paths: string[]) => paths.map((path) => ({ path, sha256: sha256(path), size: 1 }));
  const bodyWith = (paths: string[]): CommitRequest =>
    ({
      caseNumber: 'C-1',
      version: 1,
      tagManifestSha256: sha256('tag'),
      files: files(paths),
      sealEntry: {
        seq: 2,
        at: '2026-12-03T00:00:00.000Z',
        actor: 'admin',
        action: 'case.seal',
        subject: 'c1',
        sha256: null,
        details: {},
        prev: sha256('p'),
        hash: sha256('h'),
      },
    }) as unknown as CommitRequest;

  async function commitAs(keys: TestStationKeys, body: CommitRequest, key = idempotencyKeyOf(keys.id, body)) {
    const { res } = await signedPost(server.url, keys, '/api/v1/commit', JSON.stringify(body), {
      tamper: (r) => {
        r.headers['Idempotency-Key'] = key;
      },
    });
    return { status: res.status, code: await errorCode(res) };
  }

  it('refuses paths that leave the package or are not package paths', async () => {
    for (const path of ['../escape.txt', 'data/../../etc/passwd', '/etc/passwd', 'data\\evil.txt', 'data//x', './x']) {
      const r = await commitAs(a, bodyWith(['tagmanifest-sha256.txt', path]));
      expect(r, path).toEqual({ status: 400, code: 'request.invalid' });
    }
  });

  it("refuses another station's idempotency key", async () => {
    const body = bodyWith(['tagmanifest-sha256.txt']);
    const r = await commitAs(b, body, idempotencyKeyOf(a.id, body));
    expect(r).toEqual({ status: 400, code: 'request.invalid' });
  });
});

describe('tus Upload-Length lies', () => {
  async function signedTus(method: string, path: string, headers: Record<string, string>, body?: Buffer) {
    const nonce = await fetchNonce(server.url, a.id);
    const signed = signRequest(a.privateKey, {
      method,
      pathAndQuery: path,
      stationId: a.id,
      nonce,
      body: method === 'PATCH' ? UNSIGNED_PAYLOAD : new Uint8Array(0),
    });
    return fetch(`${server.url}${path}`, {
      method,
      headers: { 'Tus-Resumable': '1.0.0', ...signed, ...headers },
      ...(body ? { body } : {}),
    });
  }
  const metadata = (hash: string) =>
    `sha256 ${Buffer.from(hash).toString('base64')},name ${Buffer.from('x').toString('base64')}`;

  it('takes no more bytes than the length declared, and stores no blob of them', async () => {
    const real = Buffer.from('0123456789abcdefghij');
    const created = await signedTus('POST', '/api/v1/uploads/', {
      'Upload-Length': '10',
      'Upload-Metadata': metadata(sha256(real)),
    });
    expect(created.status).toBe(201);
    const location = created.headers.get('location')!;
    const patched = await signedTus(
      'PATCH',
      location,
      { 'Upload-Offset': '0', 'Content-Type': 'application/offset+octet-stream' },
      real,
    );
    expect(patched.status).toBeGreaterThanOrEqual(400);
    const blobs = await readdir(join(dataDir, 'blobs'), { recursive: true }).catch(() => [] as string[]);
    expect(blobs.filter((n) => n.endsWith(sha256(real)))).toEqual([]);
  });

  it('refuses a negative, fractional or missing Upload-Length', async () => {
    for (const length of ['-1', '1.5', 'abc', null]) {
      const res = await signedTus('POST', '/api/v1/uploads/', {
        ...(length === null ? {} : { 'Upload-Length': length }),
        'Upload-Metadata': metadata(sha256('x')),
      });
      expect(res.status, String(length)).toBe(400);
    }
  });
});
