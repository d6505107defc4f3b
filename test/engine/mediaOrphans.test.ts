import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateNpmFfmpeg } from '../fixtures/generateMedia';
import { REPO_ROOT } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * A SIGKILLed engine runs no exit handler: the media tools it started must die with it, not go on
 * writing files under a data directory that the next owner is recovering.
 */

let root: string;
beforeAll(async () => {
  root = await makeTempDir('orphans');
});
afterAll(async () => {
  await removeTree(root);
});

/**
 * Runs a long ffmpeg through runProcess, as the engine does, and beside it a tool that writes
 * nothing at all: ffmpeg sometimes learns of its parent's death from a broken stderr pipe (the
 * next status line), a silent tool never does, so only the kernel's death signal ends it.
 */
const PARENT = `
import { runProcess } from './src/core/media/tools/runProcess.ts';
const [ffmpeg, out] = process.argv.slice(1);
const args = ['-nostdin', '-loglevel', 'error', '-nostats', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25'];
runProcess(ffmpeg, [...args, '-t', '600', '-c:v', 'mpeg4', '-y', out]).catch(() => undefined);
runProcess('/usr/bin/sleep', ['600']).catch(() => undefined);
process.stdout.write('started\\n');
`;

/** Alive and not a zombie (a reparented child may wait for a reaper that never comes in a container). */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (stat === null) return false;
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

async function childrenOf(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(/\s+/).filter(Boolean).map(Number);
}

describe.runIf(process.platform === 'linux')('media tools of a killed engine', () => {
  it('die with it', { timeout: 30_000 }, async () => {
    const out = join(root, 'long.mp4');
    const parent = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', PARENT, locateNpmFfmpeg(), out],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise<void>((resolve) => parent.on('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      parent.stdout.setEncoding('utf8').on('data', (chunk: string) => chunk.includes('started') && resolve());
      void exited.then(() => reject(new Error('the parent ended before ffmpeg started')));
    });
    // Writing: its output has grown.
    while (((await stat(out).catch(() => null))?.size ?? 0) === 0) await new Promise((r) => setTimeout(r, 20));
    let tools: number[] = [];
    while (tools.length < 2) tools = await childrenOf(parent.pid!);
    try {
      for (const pid of tools) expect(await isRunning(pid)).toBe(true);
      parent.kill('SIGKILL');
      await exited;
      // The kernel delivers the death signal as the parent goes; wait for it to land, not for a time.
      for (const pid of tools) while (await isRunning(pid)) await new Promise((r) => setTimeout(r, 20));
      for (const pid of tools) expect(await isRunning(pid)).toBe(false);
    } finally {
      // A failing run must not leave a ten-minute encode behind on the machine.
      for (const pid of tools) if (await isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
