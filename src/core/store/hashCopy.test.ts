import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listNames, makeSparseFile, makeTempDir, removeTree, sha256File } from '../../../test/engine/harness';
import { getMediaFixtures } from '../../../test/fixtures';
import { HashCopier, HashCopyAbortedError, HashCopyError } from './hashCopy';

let dir: string;
let copier: HashCopier;

beforeEach(async () => {
  dir = await makeTempDir('hashcopy');
  copier = new HashCopier();
});

afterEach(async () => {
  await copier.close();
  await removeTree(dir);
});

describe('HashCopier', () => {
  it('copies a file and returns the SHA-256 of what it read', async () => {
    const source = getMediaFixtures().h264;
    const dest = join(dir, 'copy.part');
    const result = await copier.copy(source, dest);
    expect(result).toEqual({ sha256: await sha256File(source), bytes: (await stat(source)).size });
    expect(await readFile(dest)).toEqual(await readFile(source));
    expect(await copier.hash(dest)).toEqual(result);
  });

  it('refuses to overwrite an existing destination', async () => {
    const dest = join(dir, 'taken');
    await writeFile(dest, 'already here');
    const error = await copier.copy(getMediaFixtures().audio, dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HashCopyError);
    expect(await readFile(dest, 'utf8')).toBe('already here');
  });

  it('names a missing source as vanished', async () => {
    const error = await copier.copy(join(dir, 'gone.mp4'), join(dir, 'x.part')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'vanished', code: 'ENOENT' });
    expect(await listNames(dir)).toEqual([]);
  });

  it('does not let a cancelled request fail the request that follows it', async () => {
    const big = await makeSparseFile(join(dir, 'big.bin'), 2 * 1024 ** 3);
    const controller = new AbortController();
    const cancelled = copier.copy(big, join(dir, 'big.part'), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(cancelled).rejects.toBeInstanceOf(HashCopyAbortedError);
    // Started before the cancelled worker has finished exiting: its exit must not reach this one.
    const source = getMediaFixtures().h264;
    expect((await copier.hash(source)).sha256).toBe(await sha256File(source));
    expect((await copier.hash(source)).sha256).toBe(await sha256File(source));
  });
});
