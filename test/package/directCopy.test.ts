import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, open, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyTreeDirect } from '../../src/core/package/directCopy';
import { exportBag } from '../../src/core/package/exportBag';
import { ReadBackError, ReadBackHasher } from '../../src/core/package/readBack';
import { verifyPackage } from '../../src/core/package/verifyPackage';
import { AppError } from '../../src/shared/errors';
import { makeTempDir, removeTree } from '../engine/harness';
import { makeTestBag } from '../support/testBag';

/**
 * The export's copy: direct writes (plain where the file system refuses them), every file read
 * back from the medium while the next slice is written, and those read-back hashes judged by the
 * verification exactly as a second read would be.
 */

const root = await makeTempDir('direct-copy');
// tmpfs refuses O_DIRECT: the place to see the plain fallback.
const shm = existsSync('/dev/shm') ? await mkdtemp('/dev/shm/station-direct-copy-').catch(() => null) : null;
afterAll(async () => {
  await removeTree(root);
  if (shm) await removeTree(shm);
});

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** Sizes on and across the edges of the small chunks and slices the tests use. */
const FILES: Array<{ path: string; size: number }> = [
  { path: 'data/originals/big.bin', size: 65_536 * 5 + 123 },
  { path: 'data/originals/exact.bin', size: 65_536 * 2 },
  { path: 'data/empty.bin', size: 0 },
  { path: 'data/one.bin', size: 1 },
  { path: 'bagit.txt', size: 4096 },
];

async function makeSource(dir: string): Promise<Map<string, Buffer>> {
  const contents = new Map<string, Buffer>();
  for (const f of FILES) {
    const bytes = randomBytes(f.size);
    await mkdir(join(dir, f.path, '..'), { recursive: true });
    await writeFile(join(dir, f.path), bytes);
    contents.set(f.path, bytes);
  }
  return contents;
}

async function copyWithReadBack(from: string, to: string) {
  const readBack = new ReadBackHasher({ direct: true, chunkBytes: 16_384 });
  try {
    return await copyTreeDirect(from, to, FILES, { readBack, chunkBytes: 65_536, syncEveryBytes: 131_072 });
  } finally {
    await readBack.close();
  }
}

async function expectCopied(to: string, contents: Map<string, Buffer>, hashes: Map<string, string>): Promise<void> {
  for (const [path, bytes] of contents) {
    expect((await readFile(join(to, path))).equals(bytes)).toBe(true);
    expect(hashes.get(path)).toBe(sha256(bytes));
    expect((await stat(join(to, path))).mode & 0o777).toBe(0o644);
  }
}

describe('copyTreeDirect', () => {
  it('copies every file across chunk and slice edges, and reads each back to the same hash', async () => {
    const from = join(root, 'src1');
    const contents = await makeSource(from);
    const to = join(root, 'dest1');
    const result = await copyWithReadBack(from, to);
    expect(result.bytes).toBe(FILES.reduce((a, f) => a + f.size, 0));
    expect(result.readBackHashes.size).toBe(FILES.length);
    await expectCopied(to, contents, result.readBackHashes);
  });

  it.skipIf(shm === null)(
    'falls back to plain writes and reads where the file system refuses O_DIRECT (tmpfs)',
    async () => {
      const from = join(root, 'src2');
      const contents = await makeSource(from);
      const to = join(shm!, 'dest2');
      const result = await copyWithReadBack(from, to);
      await expectCopied(to, contents, result.readBackHashes);
    },
  );

  it('refuses to write into an existing folder', async () => {
    const from = join(root, 'src3');
    await makeSource(from);
    await mkdir(join(root, 'dest3'));
    await expect(copyTreeDirect(from, join(root, 'dest3'), FILES)).rejects.toMatchObject({ code: 'EEXIST' });
  });

  it('stops when cancelled between chunks', async () => {
    const from = join(root, 'src4');
    await makeSource(from);
    const controller = new AbortController();
    const error = await copyTreeDirect(from, join(root, 'dest4'), FILES, {
      chunkBytes: 65_536,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('export.cancelled');
  });
});

describe('ReadBackHasher', () => {
  it('hashes what the file holds when read, not what the writer meant to write', async () => {
    const path = join(root, 'readback-changed.bin');
    const written = randomBytes(100_000);
    await writeFile(path, written);
    const hasher = new ReadBackHasher({ direct: true, chunkBytes: 16_384 });
    try {
      const followed = hasher.follow(path);
      // Nothing is read before the writer says it is flushed: change a byte on disk first.
      const handle = await open(path, 'r+');
      await handle.write(Buffer.from([written[50_000]! ^ 0xff]), 0, 1, 50_000);
      await handle.close();
      followed.written(65_536);
      followed.complete(written.length);
      const onDisk = await readFile(path);
      const got = await followed.result;
      expect(got).toEqual({ sha256: sha256(onDisk), bytes: written.length });
      expect(got.sha256).not.toBe(sha256(written));
    } finally {
      await hasher.close();
    }
  });

  it('fails a file the medium gives back shorter than it was written', async () => {
    const path = join(root, 'readback-short.bin');
    await writeFile(path, randomBytes(40_000));
    const hasher = new ReadBackHasher({ direct: true, chunkBytes: 16_384 });
    try {
      const followed = hasher.follow(path);
      followed.complete(50_000);
      const error = await followed.result.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReadBackError);
      expect((error as ReadBackError).code).toBe('ESHORT');
      // The next file is still read back.
      const next = hasher.follow(path);
      next.complete(40_000);
      expect((await next.result).bytes).toBe(40_000);
    } finally {
      await hasher.close();
    }
  });
});

describe('the read-back hashes in the verdict', { timeout: 120_000 }, () => {
  it('are judged against the manifest like a second read: a wrong one is a changed file', async () => {
    const bag = await makeTestBag(join(root, 'store', 'ZF-2026-00021-v1'), { caseNumber: 'ZF-2026-00021' });
    const original = bag.paths.originals[0]!;
    const good = await readFile(join(bag.dir, original));
    const right = new Map([[original, sha256(good)]]);
    expect((await verifyPackage(bag.dir, { directIo: true, readBackHashes: right })).ok).toBe(true);
    // The file on disk is intact; the medium gave something else back.
    const wrong = new Map([[original, sha256(Buffer.concat([good, Buffer.from([0])]))]]);
    const report = await verifyPackage(bag.dir, { directIo: true, readBackHashes: wrong });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'changed', path: original })]);
  });

  it('an export of a package whose file changed after sealing fails verification and leaves nothing', async () => {
    const bag = await makeTestBag(join(root, 'store', 'ZF-2026-00022-v1'), {
      caseNumber: 'ZF-2026-00022',
      originalBytes: [3_000_000, 200_000],
    });
    const original = join(bag.dir, bag.paths.originals[0]!);
    await chmod(original, 0o644);
    const handle = await open(original, 'r+');
    await handle.write(Buffer.from('tampered'), 0, 8, 2_000_000);
    await handle.close();
    const dest = join(root, 'usb-tampered');
    await mkdir(dest);
    const error = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: false,
      expectFingerprint: bag.key.fingerprint,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('export.verifyFailed');
    expect(await readdir(dest)).toEqual([]);
  });

  it('an export cancelled while the read-back follows the copy leaves nothing', async () => {
    const bag = await makeTestBag(join(root, 'store', 'ZF-2026-00023-v1'), {
      caseNumber: 'ZF-2026-00023',
      originalBytes: [20_000_000, 200_000],
    });
    const dest = join(root, 'usb-cancel-mid');
    await mkdir(dest);
    const controller = new AbortController();
    const error = await exportBag({
      bagDir: bag.dir,
      destDir: dest,
      zip: false,
      expectFingerprint: bag.key.fingerprint,
      signal: controller.signal,
      // Past the first 8 MiB chunk of the large file: written, partly flushed, being read back.
      onProgress: (p) => {
        if (p.phase === 'copy' && p.bytesDone > 8 * 1024 * 1024) controller.abort();
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('export.cancelled');
    expect(await readdir(dest)).toEqual([]);
  });
});
