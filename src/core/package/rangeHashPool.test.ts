import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdir, readlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../../../test/engine/harness';
import { RangeHashAbortedError, RangeHashError, RangeHashPool } from './rangeHashPool';

let dir: string;
let bytes: Buffer;
let file: string;

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

beforeEach(async () => {
  dir = await makeTempDir('rangehash');
  // Past one plain chunk (1 MiB) and not a multiple of the direct-I/O block, so both read paths
  // meet a partial last read.
  bytes = randomBytes(3 * 1024 * 1024 + 12345);
  file = join(dir, 'payload.bin');
  await writeFile(file, bytes);
});

afterEach(async () => {
  await removeTree(dir);
});

describe.each([false, true])('RangeHashPool (direct: %s)', (direct) => {
  it('hashes whole files and ranges inside them exactly', async () => {
    const pool = new RangeHashPool({ direct, workers: 2 });
    try {
      const ranges: Array<[number, number]> = [
        [0, bytes.length],
        [0, 0],
        [1, 4095],
        [4097, 1024 * 1024 + 3],
        [bytes.length - 10, 10],
      ];
      const got = await Promise.all(ranges.map(([start, length]) => pool.hash({ path: file, start, length })));
      expect(got).toEqual(ranges.map(([start, length]) => sha256(bytes.subarray(start, start + length))));
    } finally {
      await pool.close();
    }
  });

  it('fails a range that runs past the end of the file (a truncated file)', async () => {
    const pool = new RangeHashPool({ direct, workers: 1 });
    try {
      const error = await pool.hash({ path: file, start: 100, length: bytes.length }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RangeHashError);
      expect(error).toMatchObject({ code: 'ESHORT', message: 'the file ends 100 bytes early' });
      // The worker is free for the next job.
      expect(await pool.hash({ path: file, start: 0, length: 10 })).toBe(sha256(bytes.subarray(0, 10)));
    } finally {
      await pool.close();
    }
  });
});

it.skipIf(process.platform === 'win32')('fails a FIFO put in place of a file instead of waiting on it', async () => {
  const fifo = join(dir, 'fifo.bin');
  execFileSync('mkfifo', [fifo]);
  const pool = new RangeHashPool({ direct: false, workers: 1 });
  try {
    const error = await pool.hash({ path: fifo, start: 0, length: 10 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RangeHashError);
    expect(await pool.hash({ path: file, start: 0, length: 10 })).toBe(sha256(bytes.subarray(0, 10)));
  } finally {
    await pool.close();
  }
});

it.skipIf(process.platform !== 'linux')(
  'close({ wait: false }) still waits for a worker that has a file open',
  async () => {
    const big = join(dir, 'big.bin');
    await writeFile(big, '');
    await truncate(big, 2 * 1024 ** 3);
    const openFiles = async (): Promise<string[]> =>
      Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    const pool = new RangeHashPool({ direct: false, workers: 1 });
    let reading: () => void = () => undefined;
    const isReading = new Promise<void>((resolve) => (reading = resolve));
    const job = pool.hash({ path: big, start: 0, length: 2 * 1024 ** 3 }, () => reading()).catch((e: unknown) => e);
    // Its first progress: the worker has the file open and is reading it.
    await isReading;
    expect(await openFiles()).toContain(big);
    await pool.close({ wait: false });
    expect(await job).toBeInstanceOf(RangeHashAbortedError);
    expect(await openFiles()).not.toContain(big);
  },
);
