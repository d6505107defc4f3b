import { afterAll, beforeAll, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { EnrolResponse, StationStatusResponse } from '../../src/shared/syncProtocol';
import { loadOrCreateServerKey } from '../keys/serverKey';
import { describeEachDatabase, type TestDatabase } from '../test/databases';
import { runServerCommand, startServerProcess, type ServerProcess } from '../test/serverProcess';
import { enrol, errorCode, fetchNonce, makeStationKeys, postJson, signedPost } from '../test/testStation';
import { createEnrolCode } from './enrolCodes';

/**
 * Enrolment and signed requests against the server as a real process on loopback, with the
 * enrolment codes made by the `enrol-code` command while the server runs.
 */
describeEachDatabase('enrolment and signed requests', (db) => {
  let t: TestDatabase;
  let server: ServerProcess;
  let expiredCode: string;

  beforeAll(async () => {
    t = await db.fresh();
    // Made before the start with a clock a day and an hour behind: expired by the server's clock.
    const sql = await t.open();
    const key = await loadOrCreateServerKey(t.dataDir);
    expiredCode = (await createEnrolCode(sql, key.fingerprint, new Date(Date.now() - 25 * 60 * 60 * 1000))).code;
    await sql.close();
    server = await startServerProcess(t.dataDir, t.env);
  });
  afterAll(async () => {
    const result = await server?.stop();
    expect(result?.code).toBe(0);
  });

  async function newCode(): Promise<string> {
    const result = await runServerCommand(['enrol-code', '--data', t.dataDir], t.env);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    return lines[lines.length - 1]!;
  }

  it('serves its public key, whose fingerprint the enrolment code carries', async () => {
    const res = await fetch(`${server.url}/api/server-key`);
    expect(res.status).toBe(200);
    const pem = await res.text();
    const code = await newCode();
    expect(code).toMatch(/^ES1-[A-Z2-7]{26}-[0-9a-f]{64}$/);
    expect(code.endsWith(keyFingerprint(pem))).toBe(true);
  });

  it('enrols a station with a code made while the server runs, once only', async () => {
    const code = await newCode();
    const st = makeStationKeys('station-a');
    const first = await enrol(server.url, st, code);
    expect(first.status).toBe(201);
    const answer = EnrolResponse.parse(await first.json());
    expect(answer.stationId).toBe('station-a');
    const other = makeStationKeys('station-b');
    const again = await enrol(server.url, other, code);
    expect(again.status).toBe(403);
    expect(await errorCode(again)).toBe('enrol.codeInvalid');
  });

  it('refuses an expired code, a code for another server key and an invented one', async () => {
    const st = makeStationKeys('station-c');
    const expired = await enrol(server.url, st, expiredCode);
    expect(await errorCode(expired)).toBe('enrol.codeInvalid');
    const good = await newCode();
    const otherServer = good.replace(/-[0-9a-f]{64}$/, `-${'0'.repeat(64)}`);
    expect(await errorCode(await enrol(server.url, st, otherServer))).toBe('enrol.codeInvalid');
    const invented = good.replace(/^ES1-[A-Z2-7]{26}/, `ES1-${'A'.repeat(26)}`);
    expect(await errorCode(await enrol(server.url, st, invented))).toBe('enrol.codeInvalid');
    // None of the refusals used the good code up.
    expect((await enrol(server.url, st, good)).status).toBe(201);
  });

  it('refuses a second key under an enrolled station id, without using the code', async () => {
    const code = await newCode();
    const st = makeStationKeys('station-d');
    expect((await enrol(server.url, st, await newCode())).status).toBe(201);
    const impostor = makeStationKeys('station-d');
    const res = await enrol(server.url, impostor, code);
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('enrol.stationExists');
    expect((await enrol(server.url, makeStationKeys('station-e'), code)).status).toBe(201);
  });

  it('refuses a body that is not a JSON enrolment request, with no stack trace', async () => {
    const res = await postJson(`${server.url}/api/v1/enrol`, '{"code": 1');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'request.invalid', message: expect.any(String) } });
    expect(text).not.toMatch(/at .*\.ts/);
    const huge = await postJson(`${server.url}/api/v1/enrol`, `"${'x'.repeat(200_000)}"`);
    expect(huge.status).toBe(413);
  });

  it('answers a signed request, and refuses its replay', async () => {
    const st = makeStationKeys('station-f');
    expect((await enrol(server.url, st, await newCode())).status).toBe(201);
    const first = await signedPost(server.url, st, '/api/v1/station', '{}');
    expect(first.res.status).toBe(200);
    const status = StationStatusResponse.parse(await first.res.json());
    expect(status.stationId).toBe('station-f');
    const replay = await postJson(`${server.url}/api/v1/station`, first.body, first.headers);
    expect(replay.status).toBe(401);
    expect(await errorCode(replay)).toBe('auth.nonce');
  });

  it('refuses a bad signature and a body that does not match its signed hash', async () => {
    const st = makeStationKeys('station-g');
    expect((await enrol(server.url, st, await newCode())).status).toBe(201);
    const badSig = await signedPost(server.url, st, '/api/v1/station', '{}', {
      tamper: (r) => {
        const sig = Buffer.from(r.headers['x-station-signature']!, 'base64');
        sig.writeUInt8(sig.readUInt8(10) ^ 1, 10);
        r.headers['x-station-signature'] = sig.toString('base64');
      },
    });
    expect(badSig.res.status).toBe(401);
    expect(await errorCode(badSig.res)).toBe('auth.signature');
    const swapped = await signedPost(server.url, st, '/api/v1/station', '{}', {
      tamper: (r) => {
        r.body = '{ }';
      },
    });
    expect(swapped.res.status).toBe(401);
    expect(await errorCode(swapped.res)).toBe('auth.signature');
    // A forged signature cannot burn a station's nonce: signed properly, the same nonce works.
    const honest = await signedPost(server.url, st, '/api/v1/station', '{}', { nonce: badSig.nonce });
    expect(honest.res.status).toBe(200);
  });

  it('refuses an unknown station, and a station revoked by the command while the server runs', async () => {
    const stranger = makeStationKeys('station-unknown');
    const nonceRes = await postJson(`${server.url}/api/v1/nonce`, { stationId: stranger.id });
    expect(await errorCode(nonceRes)).toBe('station.unknown');

    const st = makeStationKeys('station-h');
    expect((await enrol(server.url, st, await newCode())).status).toBe(201);
    const heldNonce = await fetchNonce(server.url, st.id);
    const revoke = await runServerCommand(['station', 'revoke', st.id, '--data', t.dataDir], t.env);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(revoke.stdout).toMatch(/revoked/);
    const res = await signedPost(server.url, st, '/api/v1/station', '{}', { nonce: heldNonce });
    expect(res.res.status).toBe(401);
    expect(await errorCode(res.res)).toBe('station.revoked');
    expect(await errorCode(await postJson(`${server.url}/api/v1/nonce`, { stationId: st.id }))).toBe('station.revoked');
    // Enrolling again with a new code does not lift a revocation.
    expect(await errorCode(await enrol(server.url, st, await newCode()))).toBe('station.revoked');

    const list = await runServerCommand(['station', 'list', '--json', '--data', t.dataDir], t.env);
    expect(list.code, list.stderr).toBe(0);
    const stations = JSON.parse(list.stdout) as Array<{ id: string; revokedAt: string | null }>;
    expect(stations.find((s) => s.id === 'station-h')?.revokedAt).toEqual(expect.any(String));
    expect(stations.find((s) => s.id === 'station-a')?.revokedAt).toBeNull();

    const unknown = await runServerCommand(['station', 'revoke', 'no-such-station', '--data', t.dataDir], t.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No station no-such-station/);
  });
});
