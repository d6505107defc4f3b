import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { serveEngine } from '../../src/core/daemon/socketServer';
import { runCli } from './cliRunner';
import { ADMIN, makeTempDir, quietLogger, removeTree } from './harness';

/**
 * Something that is not a socket at `<data>/engine.sock` (a file, a folder, a link) must not stop
 * the station: under the engine lock nobody else owns that name, so the engine moves the thing
 * aside under a name that says what it was (a link is renamed, never followed), logs it, and
 * `check` lists it. A client that finds such a thing in front of a running engine says so.
 */

let root: string;
beforeAll(async () => {
  root = await makeTempDir('sockblock');
});
afterAll(async () => {
  await removeTree(root);
});

async function initStation(name: string): Promise<string> {
  const dataDir = join(root, name);
  const init = await runCli(['init', '--admin', ADMIN.name, '--data', dataDir]);
  expect(init.code, init.stderr).toBe(0);
  return dataDir;
}

async function movedAside(dataDir: string): Promise<string[]> {
  return (await readdir(dataDir)).filter((n) => n.startsWith('engine.sock.found-'));
}

describe('a non-socket at engine.sock', { timeout: 120_000 }, () => {
  it.each([
    ['file', async (p: string) => writeFile(p, 'left here by someone\n')],
    ['directory', async (p: string) => mkdir(p)],
  ] as const)('a %s is moved aside, logged and listed by check; the command works', async (kind, place) => {
    const dataDir = await initStation(`blocked-${kind}`);
    await place(join(dataDir, 'engine.sock'));
    const verify = await runCli(['log', 'verify', '--data', dataDir]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    const aside = await movedAside(dataDir);
    expect(aside).toHaveLength(1);
    expect(aside[0]).toContain(`-${kind}-`);
    const info = await lstat(join(dataDir, aside[0]!));
    expect(kind === 'file' ? info.isFile() : info.isDirectory()).toBe(true);

    const log = quietLogger();
    const engine = await createEngine({ dataDir, runJobs: false, log });
    try {
      const report = await engine.check({ rehash: false });
      expect(report.problems).toEqual([
        expect.objectContaining({ kind: 'movedAside', path: aside[0], detail: expect.stringContaining(kind) }),
      ]);
    } finally {
      await engine.close();
    }
  });

  it('a symlink is renamed, never followed: its target is untouched', async () => {
    const dataDir = await initStation('blocked-link');
    const target = join(root, 'precious.txt');
    await writeFile(target, 'not the station’s\n');
    await symlink(target, join(dataDir, 'engine.sock'));
    const log = quietLogger();
    const engine = await createEngine({ dataDir, runJobs: false, log });
    try {
      const server = await serveEngine(engine, engine.owner.socketPath, log);
      await server.close();
      const aside = await movedAside(dataDir);
      expect(aside).toHaveLength(1);
      expect(aside[0]).toContain('-symlink-');
      expect((await lstat(join(dataDir, aside[0]!))).isSymbolicLink()).toBe(true);
      expect(await readFile(target, 'utf8')).toBe('not the station’s\n');
      expect(log.lines.some((l) => l.level === 'warn' && l.message.includes('moved aside'))).toBe(true);
    } finally {
      await engine.close();
    }
  });

  it('a client that finds a non-socket in front of a running engine says so plainly', async () => {
    const dataDir = await initStation('blocked-live');
    const log = quietLogger();
    const engine = await createEngine({ dataDir, runJobs: false, log });
    try {
      const server = await serveEngine(engine, engine.owner.socketPath, log);
      // Replaced behind the running engine's back: it listens on a name nobody can reach any more.
      await rm(engine.owner.socketPath);
      await writeFile(engine.owner.socketPath, 'blocker\n');
      const verify = await runCli(['log', 'verify', '--data', dataDir]);
      expect(verify.code).toBe(1);
      expect(verify.stderr).toContain('engine.socketBlocked');
      expect(verify.stderr).toContain('is a file, not the engine');
      await server.close();
    } finally {
      await engine.close();
    }
  });
});
