import { randomFill } from 'node:crypto';
import { open, rm, statfs } from 'node:fs/promises';

function fillRandom(buf: Buffer, offset: number, size: number): Promise<void> {
  return new Promise((resolve, reject) =>
    randomFill(buf, offset, size, (error) => (error ? reject(error) : resolve())),
  );
}
const CHUNK_BYTES = 16 * 1024 * 1024;

/** Writes `size` bytes of random data: nothing for the file system to compress or leave sparse. */
export async function writeRandomFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (let written = 0; written < size;) {
      const n = Math.min(CHUNK_BYTES, size - written);
      await fillRandom(buf, 0, n);
      await handle.write(buf, 0, n, written);
      written += n;
    }
  } finally {
    await handle.close();
  }
}

/** A file of `size` bytes with no blocks allocated (like `truncate -s`): reads return zeros. */
export async function writeSparseFile(path: string, size: number): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.truncate(size);
  } finally {
    await handle.close();
  }
}

export async function freeBytes(dir: string): Promise<number> {
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
}

/** Removes a tree, stored read-only copies included (unlinking needs only a writable directory). */
export async function removeTree(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true, maxRetries: 3 });
}
