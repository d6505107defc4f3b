import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { runCli } from '../engine/cliRunner';
import { codeOf, makeTempDir, removeTree } from '../engine/harness';
import { getMediaFixtures } from '../fixtures';
import {
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from './syncFixtures';

/**
 * Enrolment against the real central server on loopback: a code whose fingerprint is not the
 * served key's is refused and nothing is stored; so are a malformed code, an unreachable server and
 * a non-admin; a good code pins the server key (its fingerprint is the one in the server's data
 * folder), records `sync.enrol`, and queues the version approved before; a code is used once.
 */

let server: CentralServer;
let station: SyncStation;
let approved: Awaited<ReturnType<typeof sealedApprovedCase>>;

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation();
  approved = await sealedApprovedCase(station, 'Night market', [getMediaFixtures().h264]);
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

const custodyActions = async () => (await station.call('custody.list', { limit: 500 })).entries.map((e) => e.action);

describe('sync.enrol', () => {
  it('is refused before enrolment for sync.now, and for anyone but an admin', async () => {
    expect(await codeOf(station.call('sync.now', { wait: true }))).toBe('sync.notEnrolled');
    const code = await server.enrolCode();
    expect(await codeOf(station.asSupervisor('sync.enrol', { serverUrl: server.url, code }))).toBe('auth.forbidden');
  });

  it('refuses a code that names another server key, a malformed code and an unreachable server', async () => {
    const good = await server.enrolCode();
    const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    expect(await codeOf(station.call('sync.enrol', { serverUrl: server.url, code: flipped }))).toBe(
      'enrol.serverKeyMismatch',
    );
    expect(await codeOf(station.call('sync.enrol', { serverUrl: server.url, code: 'ES1-NOPE' }))).toBe(
      'enrol.codeMalformed',
    );
    expect(await codeOf(station.call('sync.enrol', { serverUrl: 'http://127.0.0.1:9', code: good }))).toBe(
      'sync.unreachable',
    );
    const status = await station.call('sync.status', {});
    expect(status.enrolment).toBeNull();
    expect(status.versions).toEqual([]);
    expect(await custodyActions()).not.toContain('sync.enrol');
  });

  it('pins the served key, records the enrolment and queues the version approved before', async () => {
    const code = await server.enrolCode();
    const enrolment = await station.call('sync.enrol', { serverUrl: `${server.url}/`, code });
    const pem = await readFile(join(server.dataDir, 'keys', 'server.pub.pem'), 'utf8');
    expect(enrolment.serverKeyFingerprint).toBe(keyFingerprint(pem));
    expect(enrolment.serverUrl).toBe(server.url);
    expect(enrolment.enrolledBy).toBe('admin');

    const status = await station.call('sync.status', {});
    expect(status.enrolment?.serverKeyFingerprint).toBe(enrolment.serverKeyFingerprint);
    expect(status.versions.map((v) => [v.caseNumber, v.version, v.state])).toEqual([
      [approved.number, approved.version, 'pending'],
    ]);
    const versions = await station.call('cases.versions', { caseId: approved.caseId });
    expect(versions.at(-1)?.state).toBe('queued');
    const actions = await custodyActions();
    expect(actions).toContain('sync.enrol');
    expect(actions).toContain('case.queue');

    // The server lists the station as enrolled.
    const { stationId } = await station.call('station.status', {});
    expect((await server.run(['station', 'list'])).stdout).toContain(stationId);

    // Once only: a second enrolment is refused, and the used code does not enrol another station.
    expect(await codeOf(station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() }))).toBe(
      'sync.alreadyEnrolled',
    );
    const other = await openSyncStation();
    try {
      expect(await codeOf(other.call('sync.enrol', { serverUrl: server.url, code }))).toBe('enrol.codeInvalid');
      expect((await other.call('sync.status', {})).enrolment).toBeNull();
    } finally {
      await other.cleanup();
    }
  });

  it('enrols from the command line, and `sync --once` with nothing queued succeeds', async () => {
    const root = await makeTempDir('enrol-cli');
    const data = join(root, 'data');
    try {
      expect((await runCli(['init', '--admin', 'chief', '--data', data])).code).toBe(0);
      const enrolled = await runCli(['enrol', server.url, await server.enrolCode(), '--data', data, '--json']);
      expect(enrolled.code, enrolled.stderr).toBe(0);
      const pem = await readFile(join(server.dataDir, 'keys', 'server.pub.pem'), 'utf8');
      expect(JSON.parse(enrolled.stdout)).toMatchObject({
        serverUrl: server.url,
        serverKeyFingerprint: keyFingerprint(pem),
      });
      const synced = await runCli(['sync', '--once', '--json', '--data', data]);
      expect(synced.code, synced.stderr).toBe(0);
      expect(JSON.parse(synced.stdout)).toEqual([]);
      const again = await runCli(['enrol', server.url, 'ES1-WRONG', '--data', data]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already enrolled/);
    } finally {
      await removeTree(root);
    }
  });
});
