import { mkdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { readOwnerRecord } from '../../src/core/station/engineLock';
import { runCli, spawnCli, whenCli, type RunningCli } from './cliRunner';
import { ADMIN, listStoredShas, makeTempDir, openStation, quietLogger, removeTree } from './harness';

/**
 * One engine owns a data directory, with real processes: concurrent CLI commands work through the
 * first one's engine, a CLI import during a `serve` import runs in serve's engine, a second engine
 * start is refused naming the owner, and a SIGKILLed owner's lock is free for the next start.
 */

const MiB = 1024 * 1024;
let root: string;

beforeAll(async () => {
  root = await makeTempDir('owner');
});
afterAll(async () => {
  await removeTree(root);
});

/** Files of `count × bytes`, each with its own first line, so no two cards share a hash. */
async function makeCard(name: string, count: number, bytes: number): Promise<string> {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const path = join(dir, `${name}-${i}.mp4`);
    await writeFile(path, `card ${name} file ${i}\n`);
    await truncate(path, bytes);
  }
  return dir;
}

async function initStation(name: string): Promise<string> {
  const dataDir = join(root, name);
  const init = await runCli(['init', '--admin', ADMIN.name, '--data', dataDir]);
  expect(init.code, init.stderr).toBe(0);
  return dataDir;
}

/** After the processes are gone: every stored copy checks out, the chain is whole, nothing interrupted. */
async function expectSettled(dataDir: string, expectedItems: number): Promise<void> {
  const engine = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
  try {
    const session = await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
    const ctx = { sessionId: session.sessionId, via: 'test' as const };
    const { items } = await engine.call('library.query', {}, ctx);
    expect(items).toHaveLength(expectedItems);
    expect(await listStoredShas(dataDir)).toEqual(items.map((i) => i.sha256).sort());
    const report = await engine.check({ rehash: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    expect(await engine.call('custody.verify', {}, ctx)).toMatchObject({ ok: true, firstBroken: null });
    const { entries } = await engine.call('custody.list', {}, ctx);
    expect(entries.map((e) => e.action)).not.toContain('import.interrupted');
    for (const record of await engine.call('import.list', {}, ctx)) expect(record.state).toBe('completed');
  } finally {
    await engine.close();
  }
}

describe('one engine owns a data directory', { timeout: 300_000 }, () => {
  it('refuses two imports started at the same moment past the busy check', async () => {
    const station = await openStation();
    try {
      const card = await makeCard('race', 2, 4 * MiB);
      const results = await Promise.allSettled([
        station.call('import.start', { paths: [card] }),
        station.call('import.start', { paths: [card] }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ code: 'import.busy' });
      const started = results.find((r) => r.status === 'fulfilled');
      if (started?.status === 'fulfilled') await station.engine.waitForImport(started.value.importId);
    } finally {
      await station.cleanup();
    }
  });

  it('runs two concurrent CLI imports of different cards through one engine: both complete', async () => {
    const dataDir = await initStation('two-cli');
    const cardA = await makeCard('a', 3, 24 * MiB);
    const cardB = await makeCard('b', 3, 24 * MiB);
    const first = spawnCli(['import', cardA, '--data', dataDir]);
    const second = spawnCli(['import', cardB, '--data', dataDir]);
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    // Sparse test files are stored and verified but cannot be decoded: 'undecodable', not failed.
    for (const r of [a, b]) expect(r.stdout).toContain('3 undecodable, 0 skipped, 0 failed; all files verified');
    // Exactly one of them opened the engine; the other worked through it.
    expect([a.stderr, b.stderr].filter((s) => s.includes('working through the engine'))).toHaveLength(1);

    const verify = await runCli(['log', 'verify', '--data', dataDir]);
    expect(verify.code, verify.stderr).toBe(0);
    const check = await runCli(['check', '--rehash', '--data', dataDir]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    await expectSettled(dataDir, 6);
  });

  it('runs a CLI import, log verify and check --rehash during a serve import, in serve’s engine', async () => {
    const dataDir = await initStation('serve');
    const big = await makeCard('big', 1, 300 * MiB);
    const small = await makeCard('small', 2, 8 * MiB);
    const serve = spawnCli(['serve', '--data', dataDir, '--import-root', root]);
    try {
      await whenCli(serve, () => serve.stdout().includes('token='));
      const url = new URL(serve.stdout().trim().split('\n')[0]!);
      // The printed address works once: visiting it trades its token for this client's cookie.
      const visit = await fetch(url, { redirect: 'manual' });
      const cookie = (visit.headers.get('set-cookie') ?? '').split(';')[0]!;
      expect(cookie).toMatch(/^station_/);
      let sessionId = '';
      const api = async (method: string, input: object): Promise<unknown> => {
        const res = await fetch(`${url.origin}/api/call/${method}`, {
          method: 'POST',
          headers: {
            cookie,
            'content-type': 'application/json',
            ...(sessionId ? { 'x-station-session': sessionId } : {}),
          },
          body: JSON.stringify(input),
        });
        const body = (await res.json()) as { ok: boolean; value: unknown; error?: unknown };
        if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
        return body.value;
      };
      sessionId = ((await api('auth.signIn', ADMIN)) as { sessionId: string }).sessionId;
      const { importId } = (await api('import.start', { paths: [big] })) as { importId: string };

      // The engine belongs to serve's child process: a second engine here is refused, naming it.
      const owner = await readOwnerRecord(dataDir);
      expect(owner?.pid).not.toBe(serve.child.pid);
      await expect(createEngine({ dataDir, runJobs: false, log: quietLogger() })).rejects.toMatchObject({
        code: 'station.inUse',
        params: { pid: owner!.pid },
      });

      const cliImport = spawnCli(['import', small, '--data', dataDir]);
      const [verify, check] = await Promise.all([
        runCli(['log', 'verify', '--data', dataDir]),
        runCli(['check', '--rehash', '--data', dataDir]),
      ]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const imported = await cliImport.done;
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toContain('working through the engine');
      expect(imported.stdout).toContain('2 undecodable, 0 skipped, 0 failed; all files verified');

      const record = (await api('import.get', { importId })) as { state: string; safeToWipe: boolean };
      expect(record).toMatchObject({ state: 'completed', safeToWipe: true });
      // The CLI's import ran in serve's engine, so serve's own import list shows it.
      expect((await api('import.list', {})) as unknown[]).toHaveLength(2);
    } finally {
      serve.child.kill('SIGTERM');
      await serve.done;
    }
    await expectSettled(dataDir, 3);
  });

  it('frees the station when its engine process is SIGKILLed: the next start recovers', async () => {
    const dataDir = await initStation('killed-owner');
    const card = await makeCard('k', 1, 200 * MiB);
    const serve = spawnCli(['serve', '--data', dataDir]);
    let enginePid = 0;
    try {
      await whenCli(serve, () => serve.stdout().includes('token='));
      enginePid = (await readOwnerRecord(dataDir))!.pid;
      const importing: RunningCli = spawnCli(['import', card, '--data', dataDir]);
      await whenCli(importing, () => importing.stderr().includes('working through the engine'));
      process.kill(enginePid, 'SIGKILL');
      const ended = await importing.done;
      expect(ended.code).not.toBe(0);
      expect(ended.stderr).toContain('engine.unreachable');
      // The web host has nothing left to serve and says so.
      const served = await serve.done;
      expect(served.code).toBe(1);
    } finally {
      if (serve.child.exitCode === null) serve.child.kill('SIGTERM');
    }
    const engine = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
    try {
      expect(engine.owner.pid).toBe(process.pid);
      const report = await engine.check({ rehash: true });
      expect(report.problems).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});
