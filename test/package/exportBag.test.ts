import { execFile } from 'node:child_process';
import { statfsSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { exportBag, type ExportBagProgress } from '../../src/core/package/exportBag';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { AppError } from '../../src/shared/errors';
import { makeTempDir, removeTree } from '../engine/harness';
import { opensslVerifyTagManifest } from '../support/packageChecks';
import { makeTestBag } from '../support/testBag';

/**
 * Export to a medium: written under a hidden temporary name, read back and verified, then
 * renamed; never overwriting; nothing left behind on failure, a full medium or a cancel.
 */

const run = promisify(execFile);
const root = await makeTempDir('export');
afterAll(() => removeTree(root));

const bag = await makeTestBag(join(root, 'store', 'ZF-2026-00012-v1'), { originalBytes: [3_000_000, 500_000] });

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('exportBag', { timeout: 240_000 }, () => {
  it('exports a folder, verified, then a second time beside it under a suffixed name', async () => {
    const dest = join(root, 'usb1');
    await mkdir(dest);
    const progress: ExportBagProgress[] = [];
    const first = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: false,
      expectFingerprint: bag.key.fingerprint,
      onProgress: (p) => progress.push(p),
    });
    expect(first.path).toBe(join(dest, 'ZF-2026-00012-v1'));
    expect(first.bytes).toBeGreaterThan(bag.payloadBytes);
    expect(progress.some((p) => p.phase === 'copy')).toBe(true);
    expect(progress.some((p) => p.phase === 'verify')).toBe(true);
    await run('sha256sum', ['-c', '--strict', '--quiet', 'manifest-sha256.txt'], { cwd: first.path });
    expect(await opensslVerifyTagManifest(first.path)).toContain('Signature Verified Successfully');
    const second = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: true,
      expectFingerprint: bag.key.fingerprint,
    });
    expect(second.path).toBe(join(dest, 'ZF-2026-00012-v1_2.zip'));
    expect((await verifyPackage(second.path)).ok).toBe(true);
    const third = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: false,
      expectFingerprint: bag.key.fingerprint,
    });
    expect(third.path).toBe(join(dest, 'ZF-2026-00012-v1_3'));
    expect((await readdir(dest)).sort()).toEqual(['ZF-2026-00012-v1', 'ZF-2026-00012-v1_2.zip', 'ZF-2026-00012-v1_3']);
  });

  it('gives the same zip bytes on every export', async () => {
    const a = join(root, 'same-a');
    const b = join(root, 'same-b');
    await mkdir(a);
    await mkdir(b);
    const x = await exportBag({ bagDir: bag.dir, destDir: a, zip: true, expectFingerprint: bag.key.fingerprint });
    const y = await exportBag({ bagDir: bag.dir, destDir: b, zip: true, expectFingerprint: bag.key.fingerprint });
    expect(await readFile(x.path)).toEqual(await readFile(y.path));
  });

  it('refuses a key other than the expected one and removes the copy', async () => {
    const dest = join(root, 'usb-wrongkey');
    await mkdir(dest);
    const error = await errorOf(
      exportBag({ bagDir: bag.dir, destDir: dest, zip: false, expectFingerprint: 'ab'.repeat(32) }),
    );
    expect(error.code).toBe('export.verifyFailed');
    expect(await readdir(dest)).toEqual([]);
  });

  it('refuses a destination that is missing, a file or not writable', async () => {
    expect(
      (
        await errorOf(
          exportBag({
            bagDir: bag.dir,
            destDir: join(root, 'nope'),
            zip: false,
            expectFingerprint: bag.key.fingerprint,
          }),
        )
      ).code,
    ).toBe('export.destination');
    const file = join(root, 'a-file');
    await writeFile(file, '');
    expect(
      (await errorOf(exportBag({ bagDir: bag.dir, destDir: file, zip: false, expectFingerprint: bag.key.fingerprint })))
        .code,
    ).toBe('export.destination');
    if (process.getuid?.() !== 0) {
      const ro = join(root, 'read-only');
      await mkdir(ro);
      await chmod(ro, 0o555);
      expect(
        (await errorOf(exportBag({ bagDir: bag.dir, destDir: ro, zip: false, expectFingerprint: bag.key.fingerprint })))
          .code,
      ).toBe('export.destination');
    }
  });

  it('is cancelled cleanly, leaving nothing', async () => {
    const dest = join(root, 'usb-cancel');
    await mkdir(dest);
    const controller = new AbortController();
    const error = await errorOf(
      exportBag({
        bagDir: bag.dir,
        destDir: dest,
        zip: false,
        expectFingerprint: bag.key.fingerprint,
        signal: controller.signal,
        onProgress: () => controller.abort(),
      }),
    );
    expect(error.code).toBe('export.cancelled');
    expect(await readdir(dest)).toEqual([]);
  });
});

const mountDir = await makeTempDir('export-tmpfs');
const mountProblem = await run('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountDir]).then(
  () => null,
  (error: unknown) => (error as Error).message.split('\n')[0] ?? 'mount failed',
);
afterAll(async () => {
  if (!mountProblem) await run('umount', [mountDir]).catch(() => undefined);
});

describe.skipIf(mountProblem !== null)(`export to a small medium (tmpfs; ${mountProblem ?? 'mounted'})`, () => {
  it('refuses up front when the package cannot fit, writing nothing', async () => {
    const error = await errorOf(
      exportBag({ bagDir: bag.dir, destDir: mountDir, zip: false, expectFingerprint: bag.key.fingerprint }),
    );
    expect(error.code).toBe('export.insufficientSpace');
    expect(await readdir(mountDir)).toEqual([]);
  });

  it('fails cleanly when the medium fills up mid-write, folder or zip, leaving nothing', async () => {
    // A small bag that fits the free-space check, then a filler that takes the room it counted on.
    const small = await makeTestBag(join(root, 'store-small', 'ZF-2026-00013-v1'), {
      originalBytes: [500_000, 100_000],
      caseNumber: 'ZF-2026-00013',
    });
    for (const zip of [false, true]) {
      let filled = false;
      const error = await errorOf(
        exportBag({
          bagDir: small.dir,
          destDir: mountDir,
          zip,
          expectFingerprint: small.key.fingerprint,
          onProgress: (p) => {
            if (filled || p.phase !== 'copy') return;
            filled = true;
            // Synchronous on purpose: the medium is full before the copy's next write.
            const free = statfsSync(mountDir);
            writeFileSync(join(mountDir, 'filler'), Buffer.alloc(free.bavail * free.bsize, 1));
          },
        }),
      );
      expect(['export.insufficientSpace', 'export.failed']).toContain(error.code);
      expect(await readdir(mountDir)).toEqual(['filler']);
      await rm(join(mountDir, 'filler'));
    }
  });
});
