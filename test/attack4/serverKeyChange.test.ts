import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerCommand } from '../../server/test/serverProcess';
import {
  makeEvidenceFile,
  openSyncStation,
  sealedApprovedCase,
  startCentralServer,
  type CentralServer,
  type SyncStation,
} from '../sync/syncFixtures';

/**
 * Red team 2 (issue 9): the server's key changes under a database that already holds receipts
 * (DIR/keys lost, or the database restored beside another server's keys). The server must not
 * start signing with the new key: the enrolled stations pinned the old one, and the chain would
 * continue under a key that did not sign its beginning. What the station already holds stays
 * verifiable by hand: its export carries the key that signed its receipt, and openssl accepts it.
 */

const run = promisify(execFile);

let server: CentralServer;
let station: SyncStation;
let first: { caseId: string; seq: number };

beforeAll(async () => {
  server = await startCentralServer();
  station = await openSyncStation();
  await station.call('sync.enrol', { serverUrl: server.url, code: await server.enrolCode() });
  const file = await makeEvidenceFile(join(station.root, 'src'), 'before.bin', 20_000);
  const c = await sealedApprovedCase(station, 'Before the key changed', [file]);
  const pass = (await station.call('sync.now', { wait: true })).find((s) => s.case === c.number);
  expect(pass).toMatchObject({ state: 'synced' });
  first = { caseId: c.caseId, seq: pass!.receipt!.seq };
  await server.stop();
}, 120_000);

afterAll(async () => {
  await station?.cleanup();
  await server?.cleanup();
});

describe("the server's key files gone from a database that holds receipts", () => {
  it('keeps the server from starting with a new key, and says which key the receipts need', async () => {
    await rename(join(server.dataDir, 'keys'), join(server.dataDir, 'keys-lost'));
    const r = await runServerCommand(['--data', server.dataDir, '--port', '0'], { DATABASE_URL: '' });
    expect(r.code).not.toBe(0);
    expect(r.stdout).not.toMatch(/listening on/);
    expect(r.stderr).toMatch(/receipts up to receipt 1, signed by server key [0-9a-f]{64}/);
    expect(r.stderr).toMatch(/Restore that key/);
    // Nor does an enrolment code make one.
    const code = await server.run(['enrol-code']);
    expect(code.code).not.toBe(0);
    expect(code.stderr).toMatch(/receipts up to receipt 1/);
  }, 60_000);

  it("refuses another server's key beside this database", async () => {
    // Another server's key pair, as its `DIR/keys` holds it.
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keys = join(server.dataDir, 'keys');
    await mkdir(keys, { mode: 0o700 });
    await writeFile(join(keys, 'server.key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await writeFile(join(keys, 'server.pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
    const r = await runServerCommand(['--data', server.dataDir, '--port', '0'], { DATABASE_URL: '' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/did not sign the receipts in this database \(receipt 1 is signed by key/);
    await rm(keys, { recursive: true });
  }, 60_000);

  it('starts again once the key is back', async () => {
    await rename(join(server.dataDir, 'keys-lost'), join(server.dataDir, 'keys'));
    await server.start();
  }, 60_000);

  it("leaves the station's export verifiable by hand with openssl", async () => {
    const dest = join(station.root, 'usb');
    await mkdir(dest, { recursive: true });
    const exported = await station.call('cases.export', { caseId: first.caseId, to: dest, jobId: 'key-change' });
    const seq = first.seq;
    await run(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        'seal/server.pub.pem',
        '-rawin',
        '-in',
        `seal/receipt-${seq}.json`,
        '-sigfile',
        `seal/receipt-${seq}.json.sig`,
      ],
      { cwd: exported.path },
    );
  }, 60_000);
});
