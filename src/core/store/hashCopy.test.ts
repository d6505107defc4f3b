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

  it('copies and re-reads sizes around the direct-I/O block and chunk boundaries byte for byte', async () => {
    // Aligned blocks go through direct I/O and the tail through plain I/O; both must meet exactly.
    const chunk = 4 * 1024 * 1024;
    for (const size of [1, 4095, 4096, 4097, chunk - 1, chunk, chunk + 12345, 3 * chunk]) {
      const source = join(dir, `src-${size}`);
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >> 12)) % 256;
      await writeFile(source, bytes);
      const dest = join(dir, `copy-${size}.part`);
      const copied = await copier.copy(source, dest);
      expect(copied, `size ${size}`).toEqual({ sha256: await sha256File(source), bytes: size });
      expect((await readFile(dest)).equals(bytes), `size ${size}`).toBe(true);
      expect(await copier.hash(dest), `size ${size}`).toEqual(copied);
    }
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
