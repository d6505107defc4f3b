import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportBag } from '../../src/core/package/exportBag';
import { removeStaleExports } from '../../src/core/package/staleExports';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { REPO_ROOT } from '../engine/cliRunner';
import { makeTempDir, quietLogger, removeTree } from '../engine/harness';
import { makeTestBag } from '../support/testBag';

/**
 * What exports leave on a medium and what they may take there. A SIGKILLed export cannot remove
 * its hidden temporary copy; the next export of the same station to the same folder does, and
 * only that: it proves the copy is its own (the owner marker names this station, this host and a
 * process that is gone) and leaves everything else alone. And the final name is taken in a way
 * that never replaces a folder or zip that appears there at that very moment.
 */

const root = await makeTempDir('export-leftovers');
afterAll(() => removeTree(root));
const bag = await makeTestBag(join(root, 'store', 'ZF-2026-00012-v1'), { originalBytes: [96_000_000, 1_000_000] });
const STATION = 'station-under-test';

/** Starts an export in a child process and SIGKILLs it mid-copy; resolves with the child's pid. */
function killMidCopy(dest: string, mode: 'zip' | 'folder'): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/package/exportChild.ts', bag.dir, dest, bag.key.fingerprint, mode, STATION],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/^copy \d+$/m.test(stderr)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL')
        reject(new Error(`the export ended on its own (${code}) before it was killed: ${stderr}`));
      else resolve(child.pid!);
    });
  });
}

/** The pid of a process that has ended. */
function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('error', reject);
    child.on('close', () => resolve(child.pid!));
  });
}

async function plant(
  dest: string,
  partial: string,
  marker: { stationId: string; pid: number; host?: string; reserved?: string | null } | null,
): Promise<void> {
  await mkdir(join(dest, partial));
  await writeFile(join(dest, partial, 'something.bin'), 'not ours to delete');
  if (marker)
    await writeFile(
      join(dest, `${partial}.owner`),
      JSON.stringify({
        type: 'evidence-station/export-in-progress',
        version: 1,
        stationId: marker.stationId,
        host: marker.host ?? hostname(),
        pid: marker.pid,
        startedAt: new Date().toISOString(),
        partial,
        reserved: marker.reserved ?? null,
      }),
    );
}

describe('a killed export is tidied by the next one, and nothing else is', { timeout: 300_000 }, () => {
  for (const mode of ['folder', 'zip'] as const) {
    it(`(${mode}) removes its own temporary copy and marker, says so, and leaves others' alone`, async () => {
      const dest = join(root, `usb-${mode}`);
      await mkdir(dest);
      const killed = await killMidCopy(dest, mode);
      const left = (await readdir(dest)).sort();
      expect(left).toHaveLength(2);
      const [partial, marker] = left as [string, string];
      expect(partial).toMatch(/^\.ZF-2026-00012-v1(\.zip)?\.partial-[0-9a-f]{12}$/);
      expect(marker).toBe(`${partial}.owner`);
      expect(JSON.parse(await readFile(join(dest, marker), 'utf8'))).toMatchObject({ stationId: STATION, pid: killed });

      const dead = await deadPid();
      // No marker: maybe another program's, maybe an older station's. Never ours to prove.
      await plant(dest, '.ZF-2026-00012-v1.partial-aaaaaaaaaaaa', null);
      // Another station's, dead or not.
      await plant(dest, '.ZF-2026-00012-v1.partial-bbbbbbbbbbbb', { stationId: 'another-station', pid: dead });
      // Ours, but its process is alive (this test runner's parent).
      await plant(dest, '.ZF-2026-00012-v1.partial-cccccccccccc', { stationId: STATION, pid: process.ppid });
      // Ours by name, from another host: its process ids mean nothing here.
      await plant(dest, '.ZF-2026-00012-v1.partial-dddddddddddd', {
        stationId: STATION,
        pid: dead,
        host: `${hostname()}-elsewhere`,
      });
      const others = (await readdir(dest)).filter((n) => n !== partial && n !== marker).sort();

      const log = quietLogger();
      const result = await exportBag({
        bagDir: bag.dir,
        destDir: dest,
        zip: mode === 'zip',
        expectFingerprint: bag.key.fingerprint,
        owner: { stationId: STATION },
        log,
      });
      expect((await verifyPackage(result.path)).ok).toBe(true);
      const after = (await readdir(dest)).sort();
      expect(after).toEqual([...others, mode === 'zip' ? 'ZF-2026-00012-v1.zip' : 'ZF-2026-00012-v1'].sort());
      for (const name of others.filter((n) => !n.endsWith('.owner')))
        expect(await readFile(join(dest, name, 'something.bin'), 'utf8')).toBe('not ours to delete');
      expect(log.lines).toContainEqual({
        level: 'warn',
        message: 'removed the temporary copy of an export that was killed',
        fields: { path: join(dest, partial), pid: killed },
      });
    });
  }

  it('removes a name a killed export had reserved only while it is still empty', async () => {
    const dest = join(root, 'usb-reserved');
    await mkdir(dest);
    const dead = await deadPid();
    await plant(dest, '.A-v1.partial-111111111111', { stationId: STATION, pid: dead, reserved: 'A-v1' });
    await mkdir(join(dest, 'A-v1'));
    await plant(dest, '.B-v1.zip.partial-222222222222', { stationId: STATION, pid: dead, reserved: 'B-v1.zip' });
    await writeFile(join(dest, 'B-v1.zip'), 'someone wrote here meanwhile');
    const lines: string[] = [];
    const removed = await removeStaleExports(dest, { stationId: STATION }, (message) => lines.push(message));
    expect(removed.sort()).toEqual(
      [
        '.A-v1.partial-111111111111',
        '.A-v1.partial-111111111111.owner',
        'A-v1',
        '.B-v1.zip.partial-222222222222',
        '.B-v1.zip.partial-222222222222.owner',
      ].sort(),
    );
    expect(await readdir(dest)).toEqual(['B-v1.zip']);
    expect(lines).toContain('removed the empty name a killed export had reserved');
  });
});

describe('the final name is taken without replacing what appears there meanwhile', { timeout: 300_000 }, () => {
  it('(folder) an empty folder that appears at that instant stays; the export takes the next name', async () => {
    const dest = join(root, 'race-folder');
    await mkdir(dest);
    const result = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: false,
      expectFingerprint: bag.key.fingerprint,
      // rename(2) silently replaces an empty folder: this is the race the old exists-then-rename lost.
      beforePublish: async (finalPath) => {
        if (finalPath.endsWith('ZF-2026-00012-v1')) await mkdir(finalPath);
      },
    });
    expect(result.path).toBe(join(dest, 'ZF-2026-00012-v1_2'));
    expect(await readdir(join(dest, 'ZF-2026-00012-v1'))).toEqual([]);
    expect((await verifyPackage(result.path)).ok).toBe(true);
    expect((await readdir(dest)).sort()).toEqual(['ZF-2026-00012-v1', 'ZF-2026-00012-v1_2']);
  });

  it('(zip) a zip that appears at that instant keeps its bytes; the export takes the next name', async () => {
    const dest = join(root, 'race-zip');
    await mkdir(dest);
    const result = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: true,
      expectFingerprint: bag.key.fingerprint,
      owner: { stationId: STATION },
      beforePublish: async (finalPath) => {
        if (finalPath.endsWith('ZF-2026-00012-v1.zip')) await writeFile(finalPath, 'another export, just finished');
      },
    });
    expect(result.path).toBe(join(dest, 'ZF-2026-00012-v1_2.zip'));
    expect(await readFile(join(dest, 'ZF-2026-00012-v1.zip'), 'utf8')).toBe('another export, just finished');
    expect((await verifyPackage(result.path)).ok).toBe(true);
    // The temporary copy and the owner marker are gone.
    expect((await readdir(dest)).sort()).toEqual(['ZF-2026-00012-v1.zip', 'ZF-2026-00012-v1_2.zip']);
  });
});
