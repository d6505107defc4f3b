import { readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFingerprint } from '../src/core/keys/fingerprint';
import { AdminFile } from './admin/adminFile';
import { isLoopbackAddress } from './http/loopback';
import { externalAddress } from './test/network';
import { describeEachDatabase } from './test/databases';
import { runServerCommand, startServerProcess } from './test/serverProcess';

describe('isLoopbackAddress', () => {
  it('knows this machine from the rest', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a)).toBe(true);
    for (const a of ['10.0.0.1', '::ffff:192.168.1.2', '128.0.0.1', 'fe80::1', '', undefined]) {
      expect(isLoopbackAddress(a)).toBe(false);
    }
  });
});

describe('the server command line', () => {
  it('asks for --data and explains its usage', async () => {
    const r = await runServerCommand(['--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--data DIR/);
  });

  it('says so when the data folder cannot be written', async () => {
    const file = join(tmpdir(), `es-not-a-dir-${process.pid}`);
    await writeFile(file, 'a file, not a folder');
    const r = await runServerCommand(['--port', '0', '--data', join(file, 'data')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot be written/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describeEachDatabase('server start and stop', (db) => {
  it('makes its key once, serves it, and stops cleanly on SIGTERM', async () => {
    const t = await db.fresh();
    const server = await startServerProcess(t.dataDir, t.env);
    const keyDir = join(t.dataDir, 'keys');
    expect((await stat(join(keyDir, 'server.key.pem'))).mode & 0o777).toBe(0o600);
    const pem = await readFile(join(keyDir, 'server.pub.pem'), 'utf8');
    expect(await (await fetch(`${server.url}/api/server-key`)).text()).toBe(pem);
    expect(server.stdout()).toContain(`Server key fingerprint: ${keyFingerprint(pem)}`);
    const adminPath = join(t.dataDir, 'admin.json');
    expect((await stat(adminPath)).mode & 0o777).toBe(0o600);
    const admin = AdminFile.parse(JSON.parse(await readFile(adminPath, 'utf8')));
    expect(admin.pid).toBe(server.child.pid);
    const stopped = await server.stop();
    expect(stopped.code).toBe(0);
    await expect(stat(adminPath)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(join(t.dataDir, 'server.lock'))).rejects.toMatchObject({ code: 'ENOENT' });

    // With no server running, the commands open the database themselves.
    const code = await runServerCommand(['enrol-code', '--data', t.dataDir], t.env);
    expect(code.code, code.stderr).toBe(0);
    expect(code.stdout.trim().split('\n').pop()).toMatch(new RegExp(`^ES1-[A-Z2-7]{26}-${keyFingerprint(pem)}$`));
    const list = await runServerCommand(['station', 'list', '--data', t.dataDir], t.env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/No station is enrolled/);

    const again = await startServerProcess(t.dataDir, t.env);
    expect(await (await fetch(`${again.url}/api/server-key`)).text()).toBe(pem);
    expect((await again.stop()).code).toBe(0);
  });

  it('says so when the port is taken', async () => {
    const a = await db.fresh();
    const first = await startServerProcess(a.dataDir, a.env);
    const t = await db.fresh();
    const port = new URL(first.url).port;
    const r = await runServerCommand(['--port', port, '--data', t.dataDir], t.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`Port ${port} on 127.0.0.1 is already in use`));
    expect((await first.stop()).code).toBe(0);
  });

  it.skipIf(externalAddress() === null)('accepts HTTP Basic and the admin token from loopback only', async () => {
    const t = await db.fresh();
    await runServerCommand(['user', 'add', 'alice', '--data', t.dataDir], { ...t.env, SERVER_PASSWORD: 'a long operator passphrase' });
    const server = await startServerProcess(t.dataDir, t.env, ['--port', '0', '--host', '0.0.0.0']);
    const port = new URL(server.url).port;
    const auth = { Authorization: `Basic ${Buffer.from('alice:a long operator passphrase').toString('base64')}` };
    const local = await fetch(`http://127.0.0.1:${port}/api/cases`, { headers: auth });
    expect(local.status).toBe(200);
    const remote = await fetch(`http://${externalAddress()}:${port}/api/cases`, { headers: auth });
    expect(remote.status).toBe(401);
    expect(remote.headers.get('www-authenticate')).toBeNull();
    const admin = AdminFile.parse(JSON.parse(await readFile(join(t.dataDir, 'admin.json'), 'utf8')));
    const remoteAdmin = await fetch(`http://${externalAddress()}:${port}/admin/enrol-code`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.token}` },
    });
    expect(remoteAdmin.status).toBe(401);
    expect((await server.stop()).code).toBe(0);
  });
});
