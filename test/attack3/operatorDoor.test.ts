import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerCommand, startServerProcess, type ServerProcess } from '../../server/test/serverProcess';
import { makeTempDir, removeTree } from '../engine/harness';

/**
 * Red team (issue 9): HTTP Basic is accepted on loopback only. A server listening on every
 * address is reached from this machine's own network address (not loopback) with headers that
 * claim loopback (`X-Forwarded-For`, `X-Real-IP`, `Forwarded`): the operator's list stays shut,
 * and the admin routes refuse their token from there too.
 */

const OPERATOR = { name: 'operator', password: 'a long operator passphrase' };
const outside = Object.values(networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let dataDir: string;
let server: ServerProcess;

describe.skipIf(!outside)('the operator door from a non-loopback address', () => {
  beforeAll(async () => {
    dataDir = await makeTempDir('attack3-operator');
    const added = await runServerCommand(['user', 'add', OPERATOR.name, '--data', dataDir], {
      DATABASE_URL: '',
      SERVER_PASSWORD: OPERATOR.password,
    });
    if (added.code !== 0) throw new Error(added.stderr);
    server = await startServerProcess(dataDir, { DATABASE_URL: '' }, ['--port', '0', '--host', '0.0.0.0']);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await removeTree(dataDir);
  });

  it('refuses Basic from outside whatever the headers claim, and takes it on loopback', async () => {
    const port = new URL(server.url).port;
    const basic = `Basic ${Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64')}`;
    const claims: Record<string, string>[] = [
      {},
      { 'X-Forwarded-For': '127.0.0.1' },
      { 'X-Real-IP': '127.0.0.1' },
      { Forwarded: 'for=127.0.0.1' },
      { Host: `127.0.0.1:${port}` },
    ];
    for (const claim of claims) {
      const res = await fetch(`http://${outside}:${port}/api/cases`, { headers: { Authorization: basic, ...claim } });
      expect(res.status, JSON.stringify(claim)).toBe(401);
    }
    const page = await fetch(`http://${outside}:${port}/`, { headers: { Authorization: basic } });
    expect(await page.text()).not.toContain('<table');
    const { token } = JSON.parse(await readFile(join(dataDir, 'admin.json'), 'utf8')) as { token: string };
    const admin = await fetch(`http://${outside}:${port}/admin/enrol-code`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': '127.0.0.1' },
      body: '{}',
    });
    expect(admin.status).toBeGreaterThanOrEqual(400);
    expect(await admin.text()).not.toMatch(/ES1-/);
    const local = await fetch(`http://127.0.0.1:${port}/api/cases`, { headers: { Authorization: basic } });
    expect(local.status).toBe(200);
  });
});
