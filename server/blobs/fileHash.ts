import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { RangeHashPool } from '../../src/core/package/rangeHashPool';

/**
 * Below this size a file is hashed on the event loop: starting a worker thread costs more than
 * reading and hashing a package's tag file or report (each one its own upload), and a sync sends
 * ten of those for every case.
 */
export const INLINE_HASH_BYTES = 4 * 1024 * 1024;

/**
 * SHA-256 of a whole file, read on a worker thread: a finished upload may be gigabytes, and the
 * server's event loop keeps answering other stations meanwhile. The worker reads 1 MiB at a time
 * (three buffers), so memory stays flat whatever the size. It hashes only the regular file of the
 * size given: a file that grew or shrank meanwhile is an error, not a wrong hash.
 */
export async function hashFile(path: string, size: number): Promise<string> {
  if (size <= INLINE_HASH_BYTES) return hashSmallFile(path, size);
  const pool = new RangeHashPool({ direct: false, workers: 1 });
  let settled = false;
  try {
    const sha256 = await pool.hash({ path, start: 0, length: size, expect: { size } });
    settled = true;
    return sha256;
  } finally {
    await pool.close({ wait: !settled });
  }
}

/** A file that is not what it was listed as; `code` as the hashing worker's refusals carry one. */
function refused(code: string, message: string): NodeJS.ErrnoException {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.code = code;
  return error;
}

/** The same checks as the worker's (a regular file, not followed through a link, of this size), in one read. */
async function hashSmallFile(path: string, size: number): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw refused('ENOTREG', `${path} is not a regular file`);
    if (info.size !== size) throw refused('ECHANGED', `${path} is ${info.size} bytes now, ${size} when listed`);
    const bytes = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(bytes, read, size - read, read);
      if (bytesRead === 0) throw refused('ECHANGED', `${path} ended at ${read} of ${size} bytes`);
      read += bytesRead;
    }
    // A file that grew after the stat would hash as its first `size` bytes: refused instead.
    if ((await handle.stat()).size !== size) throw refused('ECHANGED', `${path} changed while it was read`);
    return createHash('sha256').update(bytes).digest('hex');
  } finally {
    await handle.close();
  }
}
