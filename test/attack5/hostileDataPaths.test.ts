import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { CLI_PASSWORD, type CliResult } from '../engine/cliRunner';
import { makeTempDir, removeTree } from '../engine/harness';
import { BUILT_CLI, BUILT_NODE_FLAGS } from '../nodeBuild';

/**
 * The built command line with a data directory whose name a shell user would not choose but a
 * folder picker or a script can: spaces, a newline, Chinese and accented letters, a leading dash,
 * given relative to another working directory. The station works in it, and what the terminal
 * shows of the path cannot forge an output line.
 */

let root: string;

beforeAll(async () => {
  root = await makeTempDir('hostile-data');
});
afterAll(async () => {
  await removeTree(root);
});

function cliIn(cwd: string, args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, [...BUILT_NODE_FLAGS, BUILT_CLI, ...args], {
    cwd,
    env: { ...process.env, STATION_PASSWORD: CLI_PASSWORD, STATION_DATA: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('a hostile --data path', () => {
  const names = [
    { label: 'spaces', name: 'evidence data  2026' },
    { label: 'a newline', name: 'data\nFAKE: all files verified' },
    { label: 'unicode', name: '证据 数据 Ünïcödé' },
  ];

  for (const { label, name } of names) {
    it(`works in a data directory named with ${label}, and prints its path on one line`, async () => {
      const data = path.join(root, name);
      const init = await cliIn(root, ['init', '--admin', 'admin', '--data', data]);
      expect(init.code, init.stderr).toBe(0);
      const lines = init.stdout.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^Station ready in .*; admin: admin$/);
      expect(lines[1]).toMatch(/^Station key fingerprint: /);
      if (name.includes('\n')) expect(lines[0]).toContain('data\\nFAKE: all files verified');

      const fx = getMediaFixtures();
      const imported = await cliIn(root, ['import', fx.h264, '--json', '--data', data]);
      expect(imported.code, imported.stderr).toBe(0);
      const [item] = JSON.parse(imported.stdout) as { id: string }[];
      const still = await cliIn(root, ['still', item!.id, '--at', '0.5', '--data', data]);
      expect(still.code, still.stderr).toBe(0);
      const stored = still.stdout.split('\n').find((line) => line.startsWith('stored  '));
      expect(stored).toBeDefined();
      expect(still.stdout.split('\n')).toHaveLength(5);

      const verify = await cliIn(root, ['log', 'verify', '--data', data]);
      expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    }, 120_000);

    it(`names a data directory with ${label} on one line when it has no station key`, async () => {
      const empty = path.join(root, `empty ${name}`);
      await mkdir(empty);
      const shown = await cliIn(root, ['key', 'show', '--data', empty]);
      expect(shown.code).toBe(2);
      expect(shown.stderr.split('\n')[0]).toMatch(/^error: no station key in .*: run "init --admin NAME" first$/);
    }, 60_000);
  }

  it('takes a relative path starting with a dash as --data=-name, against the working directory', async () => {
    const cwd = path.join(root, 'elsewhere');
    await mkdir(cwd);
    const init = await cliIn(cwd, ['init', '--admin', 'admin', '--data=-station']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`Station ready in ${path.join(cwd, '-station')}`);
    const dashed = await cliIn(cwd, ['log', 'verify', '--data', '-station']);
    expect(dashed.code).toBe(2);
    expect(dashed.stderr).toContain('--data=-XYZ');
    const verify = await cliIn(cwd, ['log', 'verify', '--data=-station']);
    expect(verify.code, verify.stderr).toBe(0);
  }, 60_000);
});
