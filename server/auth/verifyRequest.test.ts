import { generateKeyPairSync } from 'node:crypto';
import { expect, it } from 'vitest';
import { signRequest } from '../../src/core/sync/signRequest';
import { UNSIGNED_PAYLOAD } from '../../src/shared/syncProtocol';
import type { Sql } from '../db/sql';
import { SyncError } from '../http/syncError';
import { insertStation, revokeStation } from '../stations/stationsRepo';
import { describeEachDatabase } from '../test/databases';
import { makeStationKeys, type TestStationKeys } from '../test/testStation';
import { issueNonce, MAX_LIVE_NONCES_PER_STATION, NONCE_TTL_MS } from './nonces';
import { verifyRequest } from './verifyRequest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { createHash } from 'node:crypto';

const T0 = new Date('2026-12-03T02:00:00.000Z');
const PATH = '/api/v1/commit?dry=1';

async function enrolled(sql: Sql, id: string): Promise<TestStationKeys> {
  const s = makeStationKeys(id);
  await insertStation(sql, {
    id,
    name: s.name,
    publicKeyPem: s.publicKeyPem,
    keyFingerprint: keyFingerprint(s.publicKeyPem),
    enrolledAt: T0,
  });
  return s;
}

function parts(station: TestStationKeys, nonce: string, body: Buffer, bodySha256 = sha(body)) {
  const headers = signRequest(station.privateKey, { method: 'POST', pathAndQuery: PATH, stationId: station.id, nonce, body });
  return { method: 'POST', pathAndQuery: PATH, headers: { ...headers } as Record<string, string>, bodySha256 };
}

function sha(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SyncError);
  return (error as SyncError).code;
}

describeEachDatabase('verifyRequest', (db) => {
  const body = Buffer.from('{"caseNumber":"A-1"}');

  it('accepts a signed request once, and refuses its replay as auth.nonce', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const nonce = await issueNonce(sql, st.id, T0);
    const request = parts(st, nonce, body);
    expect((await verifyRequest(sql, request, T0)).id).toBe('st-1');
    expect(await refusal(verifyRequest(sql, request, T0))).toBe('auth.nonce');
  });

  it('lets exactly one of two simultaneous uses of a nonce through', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const nonce = await issueNonce(sql, st.id, T0);
    const request = parts(st, nonce, body);
    const results = await Promise.allSettled([verifyRequest(sql, request, T0), verifyRequest(sql, request, T0)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('refuses a signature by another key, and keeps the nonce for the real station', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const nonce = await issueNonce(sql, st.id, T0);
    const forger = { ...st, privateKey: generateKeyPairSync('ed25519').privateKey };
    expect(await refusal(verifyRequest(sql, parts(forger, nonce, body), T0))).toBe('auth.signature');
    expect((await verifyRequest(sql, parts(st, nonce, body), T0)).id).toBe('st-1');
  });

  it('refuses a body that is not the one signed, a changed path and a changed method', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const other = Buffer.from('{"caseNumber":"A-2"}');
    const n1 = await issueNonce(sql, st.id, T0);
    expect(await refusal(verifyRequest(sql, parts(st, n1, body, sha(other)), T0))).toBe('auth.signature');
    const n2 = await issueNonce(sql, st.id, T0);
    expect(await refusal(verifyRequest(sql, { ...parts(st, n2, body), pathAndQuery: '/api/v1/commit' }, T0))).toBe(
      'auth.signature',
    );
    const n3 = await issueNonce(sql, st.id, T0);
    expect(await refusal(verifyRequest(sql, { ...parts(st, n3, body), method: 'PUT' }, T0))).toBe('auth.signature');
  });

  it('accepts UNSIGNED-PAYLOAD only where the route streams its body', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const sign = (nonce: string) => ({
      method: 'PATCH',
      pathAndQuery: '/api/v1/uploads/x',
      headers: { ...signRequest(st.privateKey, { method: 'PATCH', pathAndQuery: '/api/v1/uploads/x', stationId: st.id, nonce, body: UNSIGNED_PAYLOAD }) } as Record<string, string>,
    });
    const n1 = await issueNonce(sql, st.id, T0);
    expect(await refusal(verifyRequest(sql, { ...sign(n1), bodySha256: sha(body) }, T0))).toBe('auth.signature');
    const n2 = await issueNonce(sql, st.id, T0);
    expect((await verifyRequest(sql, { ...sign(n2), bodySha256: UNSIGNED_PAYLOAD }, T0)).id).toBe('st-1');
  });

  it('refuses a nonce older than ten minutes by the server clock, and one issued to another station', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const other = await enrolled(sql, 'st-2');
    const old = await issueNonce(sql, st.id, T0);
    const later = new Date(T0.getTime() + NONCE_TTL_MS);
    expect(await refusal(verifyRequest(sql, parts(st, old, body), later))).toBe('auth.nonce');
    const theirs = await issueNonce(sql, other.id, T0);
    expect(await refusal(verifyRequest(sql, parts(st, theirs, body), T0))).toBe('auth.nonce');
  });

  it('refuses an unknown station and a revoked one, whose nonces die with the revocation', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const stranger = makeStationKeys('st-9');
    expect(await refusal(verifyRequest(sql, parts(stranger, 'ab'.repeat(32), body), T0))).toBe('station.unknown');
    expect(await refusal(issueNonce(sql, stranger.id, T0))).toBe('station.unknown');
    const nonce = await issueNonce(sql, st.id, T0);
    expect(await revokeStation(sql, st.id, T0)).toBe('revoked');
    expect(await refusal(verifyRequest(sql, parts(st, nonce, body), T0))).toBe('station.revoked');
    expect(await refusal(issueNonce(sql, st.id, T0))).toBe('station.revoked');
    const left = await sql.query<{ n: number }>('SELECT count(*) AS n FROM nonces');
    expect(left[0]!.n).toBe(0);
  });

  it('refuses malformed signature headers without touching the nonce', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    const nonce = await issueNonce(sql, st.id, T0);
    const good = parts(st, nonce, body);
    const shortSig = { ...good, headers: { ...good.headers, 'x-station-signature': Buffer.alloc(63).toString('base64') } };
    expect(await refusal(verifyRequest(sql, shortSig, T0))).toBe('auth.signature');
    const noNonce = { ...good, headers: { ...good.headers, 'x-station-nonce': 'xyz' } };
    expect(await refusal(verifyRequest(sql, noNonce, T0))).toBe('auth.nonce');
    expect((await verifyRequest(sql, good, T0)).id).toBe('st-1');
  });

  it('bounds the unused nonces a station may hold, and sweeps expired ones', async () => {
    const sql = await (await db.fresh()).open();
    const st = await enrolled(sql, 'st-1');
    for (let i = 0; i < MAX_LIVE_NONCES_PER_STATION; i++) await issueNonce(sql, st.id, T0);
    expect(await refusal(issueNonce(sql, st.id, T0))).toBe('request.throttled');
    const later = new Date(T0.getTime() + NONCE_TTL_MS + 1);
    await issueNonce(sql, st.id, later);
    const left = await sql.query<{ n: number }>('SELECT count(*) AS n FROM nonces');
    expect(left[0]!.n).toBe(1);
  });
});
