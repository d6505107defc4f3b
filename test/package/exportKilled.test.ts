import { spawn } from 'node:child_process';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { REPO_ROOT } from '../engine/cliRunner';
import { makeTempDir, removeTree } from '../engine/harness';
import { makeTestBag } from '../support/testBag';

/**
 * A process killed mid-export (SIGKILL: no cleanup runs) leaves at most its hidden temporary
 * copy, never anything named like a package, and what it leaves does not verify as complete.
 */

const root = await makeTempDir('export-killed');
afterAll(() => removeTree(root));
const bag = await makeTestBag(join(root, 'store', 'ZF-2026-00012-v1'), { originalBytes: [96_000_000, 1_000_000] });

function killMidCopy(dest: string, mode: 'zip' | 'folder'): Promise<{ signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/package/exportChild.ts', bag.dir, dest, bag.key.fingerprint, mode],
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
      else resolve({ signal });
    });
  });
}

describe('an export killed mid-copy', { timeout: 240_000 }, () => {
  for (const mode of ['folder', 'zip'] as const) {
    it(`(${mode}) leaves nothing that verifies as complete`, async () => {
      const dest = join(root, `usb-${mode}`);
      await mkdir(dest);
      await killMidCopy(dest, mode);
      const left = await readdir(dest);
      for (const name of left) {
        expect(name).toMatch(/^\.ZF-2026-00012-v1(\.zip)?\.partial-[0-9a-f]{12}$/);
        const verdict = await verifyPackage(join(dest, name)).catch(() => null);
        expect(verdict?.ok ?? false).toBe(false);
      }
    });
  }
});
