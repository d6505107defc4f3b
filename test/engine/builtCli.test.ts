import { spawn } from 'node:child_process';
import { mkdir, readFile, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path, { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeInputs, checkNodeBuild } from '../../scripts/nodeBuildStamp.mjs';
import { BUILT_DIR } from '../nodeBuild';
import { CLI_PASSWORD, REPO_ROOT, runCli, type CliResult } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * The package's command as an installed user runs it: `node bin/evidence-station.mjs …` (what the
 * `evidence-station` bin and `npm run cli` start), loading the JavaScript build in out/node that
 * Vitest's global setup made fresh. Read-only commands run with no password anywhere and a
 * preload that reports any password hashing: they must neither prompt nor hash.
 */

const BIN = join(REPO_ROOT, 'bin', 'evidence-station.mjs');
const HASH_TRAP = fileURLToPath(new URL('../support/hashTrap.mjs', import.meta.url));

let root: string;
let data: string;

/** The bin as a process, no stdin (a prompt would fail), no password in the environment. */
function runBin(args: string[], opts: { trap?: boolean; password?: string } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [...(opts.trap ? ['--import', HASH_TRAP] : []), BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, STATION_PASSWORD: opts.password ?? '', STATION_DATA: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function custodyCount(): Promise<number> {
  const r = await runBin(['log', 'verify', '--json', '--data', data]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { entries: number }).entries;
}

beforeAll(async () => {
  root = await makeTempDir('built-cli');
  data = join(root, 'data');
  const init = await runCli(['init', '--admin', 'chief', '--data', data]);
  expect(init.code, init.stderr).toBe(0);
});

afterAll(async () => {
  await removeTree(root);
});

describe('the built bin', () => {
  it('prints its usage with --help, from the build, without rebuilding', async () => {
    const r = await runBin(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Evidence Station command line\n/);
    // A rebuild says so on stderr; the global setup left a fresh build.
    expect(r.stderr).toBe('');
  });

  it.each([
    ['log verify', ['log', 'verify', '--json']],
    ['log show', ['log', 'show', '--json']],
    ['check', ['check', '--json']],
    ['key show', ['key', 'show', '--json']],
  ])('runs %s with no password and no password hashing, and appends nothing', async (_name, args) => {
    const before = await custodyCount();
    const r = await runBin([...args, '--data', data], { trap: true });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('hash-trap');
    expect(r.stderr).not.toMatch(/password/i);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    expect(await custodyCount()).toBe(before);
  });

  it('hashes the password of a command that signs in (the trap springs)', async () => {
    const r = await runBin(['taxonomy', 'list', '--json', '--data', data], { trap: true, password: CLI_PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('hash-trap: scrypt');
  });

  it('ships source maps that name the TypeScript files of this checkout', async () => {
    const map = JSON.parse(await readFile(join(BUILT_DIR, 'cli.js.map'), 'utf8')) as { sources: string[] };
    const sources = map.sources.map((s) => path.resolve(BUILT_DIR, s));
    expect(sources).toContain(join(REPO_ROOT, 'src', 'cli', 'index.ts'));
    for (const source of sources) await expect(stat(source)).resolves.toBeTruthy();
  });
});

describe('the build stamp', () => {
  let dir: string;
  const file = (): string => join(dir, 'src', 'a.ts');

  beforeAll(async () => {
    dir = await makeTempDir('build-stamp');
  });

  afterAll(async () => {
    await removeTree(dir);
  });

  async function stampWith(contents: string): Promise<void> {
    await mkdir(join(dir, 'src'), { recursive: true });
    await mkdir(join(dir, 'out', 'node'), { recursive: true });
    await writeFile(file(), contents);
    const inputs = await describeInputs(dir, ['src/a.ts']);
    await writeFile(join(dir, 'out', 'node', 'build-stamp.json'), JSON.stringify({ version: 1, inputs }));
  }

  it('calls a build fresh while its sources are unchanged, even with a new modification time', async () => {
    await stampWith('export const a = 1;\n');
    expect(checkNodeBuild(dir)).toEqual({ fresh: true });
    const later = new Date(Date.now() + 60_000);
    await utimes(file(), later, later);
    expect(checkNodeBuild(dir)).toEqual({ fresh: true });
  });

  it('calls it stale when a source changed, of the same size too, or is gone', async () => {
    await stampWith('export const a = 1;\n');
    await writeFile(file(), 'export const a = 2;\n');
    expect(checkNodeBuild(dir)).toEqual({ fresh: false, reason: 'src/a.ts changed' });
    await unlink(file());
    expect(checkNodeBuild(dir)).toEqual({ fresh: false, reason: 'src/a.ts is gone' });
  });

  it('calls a folder without a stamp unbuilt', async () => {
    const empty = await makeTempDir('build-stamp-none');
    try {
      expect(checkNodeBuild(empty)).toEqual({ fresh: false, reason: 'there is no build in out/node yet' });
    } finally {
      await removeTree(empty);
    }
  });
});
