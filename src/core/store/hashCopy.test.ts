import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, readlink, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listNames, makeSparseFile, makeTempDir, removeTree, sha256File } from '../../../test/engine/harness';
import { getMediaFixtures } from '../../../test/fixtures';
import { HashCopier, HashCopyAbortedError, HashCopyError, type FlushedSlice } from './hashCopy';
import { stationLayout } from './layout';
import { StoreFileError, placeInStore } from './placeInStore';

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
      const piped = await copier.copy(source, join(dir, `piped-${size}.part`), { reread: true, sliceBytes: 4096 });
      expect(piped, `size ${size}`).toEqual({ ...copied, reread: copied });
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

const MiB = 1024 * 1024;

/** Paths this process (its worker threads included) holds open: what a worker still has open shows here. */
async function openFiles(): Promise<string[]> {
  if (process.platform !== 'linux') return [];
  const fds = await readdir('/proc/self/fd');
  const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return targets;
}

/** Flips one byte, the way a bad sector would. */
async function flipByte(path: string, at: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

describe('HashCopier with the read-back of each flushed slice', () => {
  // Four 4 MiB chunks and a tail: with 1 MiB slices, a flush after every chunk.
  const SIZE = 16 * MiB + 12345;
  let source: string;
  let bytes: Buffer;

  beforeEach(async () => {
    bytes = randomBytes(SIZE);
    source = join(dir, 'source.bin');
    await writeFile(source, bytes);
  });

  it('reads every slice back once, in order, and hashes the whole copy as the disk holds it', async () => {
    const slices: FlushedSlice[] = [];
    const dest = join(dir, 'copy.part');
    const result = await copier.copy(source, dest, {
      reread: true,
      sliceBytes: MiB,
      beforeReread: async (path, slice) => {
        expect(path).toBe(dest);
        slices.push(slice);
      },
    });
    const sha = await sha256File(source);
    expect(result).toEqual({ sha256: sha, bytes: SIZE, reread: { sha256: sha, bytes: SIZE } });
    expect(slices.length).toBeGreaterThan(1);
    expect(slices[0]!.start).toBe(0);
    slices.forEach((s, i) => {
      if (i > 0) expect(s.start).toBe(slices[i - 1]!.end);
      expect(s.end).toBeGreaterThan(s.start);
      expect(s.last).toBe(i === slices.length - 1);
    });
    expect(slices.at(-1)!.end).toBe(SIZE);
    expect((await readFile(dest)).equals(bytes)).toBe(true);
  });

  it('sees a slice that reads back differently, and placeInStore then refuses the copy and keeps nothing', async () => {
    const layout = stationLayout(join(dir, 'station'));
    const dest = join(dir, 'copy.part');
    let flips = 0;
    const result = await copier.copy(source, dest, {
      reread: true,
      sliceBytes: MiB,
      beforeReread: async (path, slice) => {
        // The second slice, after it was flushed and before it is read back.
        if (slice.start > 0 && flips++ === 0) await flipByte(path, slice.start + 100);
      },
    });
    expect(flips).toBeGreaterThan(0);
    expect(result.sha256).toBe(await sha256File(source));
    expect(result.reread?.bytes).toBe(SIZE);
    expect(result.reread?.sha256).not.toBe(result.sha256);

    const error = await placeInStore({
      layout,
      copier,
      temp: dest,
      sha256: result.sha256,
      bytes: result.bytes,
      verify: 'rereadDuringCopy',
      ...(result.reread ? { reread: result.reread } : {}),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFileError);
    expect(error).toMatchObject({ kind: 'copyMismatch' });
    expect((error as Error).message).toContain(`source ${result.sha256}`);
    expect(await listNames(dir)).toEqual(['source.bin']);
  });

  it('stops mid-pipeline on cancel, with no worker holding the copy, and copies again after', async () => {
    const big = await makeSparseFile(join(dir, 'big.bin'), 2 * 1024 ** 3);
    const dest = join(dir, 'big.part');
    const controller = new AbortController();
    let seen = 0;
    const cancelled = copier.copy(big, dest, {
      reread: true,
      sliceBytes: MiB,
      signal: controller.signal,
      beforeReread: async () => {
        // Cancelled while the next slices are being copied and this one waits to be read back.
        if (++seen === 2) controller.abort();
      },
    });
    await expect(cancelled).rejects.toBeInstanceOf(HashCopyAbortedError);
    expect(await openFiles()).not.toContain(dest);
    await unlink(dest);

    const again = await copier.copy(source, join(dir, 'again.part'), { reread: true, sliceBytes: MiB });
    expect(again.reread).toEqual({ sha256: again.sha256, bytes: SIZE });
  });

  it('fails a source truncated mid-read as vanished, and answers only once the copy is closed', async () => {
    const big = await makeSparseFile(join(dir, 'card.bin'), 2 * 1024 ** 3);
    const dest = join(dir, 'card.part');
    let truncated = false;
    const error = await copier
      .copy(big, dest, {
        reread: true,
        sliceBytes: MiB,
        beforeReread: async () => {
          // A card pulled, or a file cut short by another program, while the copy is reading it.
          if (truncated) return;
          truncated = true;
          await truncate(big, 32 * MiB);
        },
      })
      .catch((e: unknown) => e);
    expect(truncated).toBe(true);
    expect(error).toBeInstanceOf(HashCopyError);
    expect(error).toMatchObject({ kind: 'vanished' });
    expect((error as Error).message).toMatch(/^read \d+ bytes of a file that was 2147483648 bytes when opened$/);
    expect(await openFiles()).not.toContain(dest);
    expect(await openFiles()).not.toContain(big);

    // The same copier goes on with the next file.
    const next = await copier.copy(source, join(dir, 'next.part'), { reread: true });
    expect(next.reread).toEqual({ sha256: next.sha256, bytes: SIZE });
  });
});
