import { RangeHashPool } from '../../src/core/package/rangeHashPool';

/**
 * SHA-256 of a whole file, read on a worker thread: a finished upload may be gigabytes, and the
 * server's event loop keeps answering other stations meanwhile. The worker reads 1 MiB at a time
 * (three buffers), so memory stays flat whatever the size. It hashes only the regular file of the
 * size given: a file that grew or shrank meanwhile is an error, not a wrong hash.
 */
export async function hashFile(path: string, size: number): Promise<string> {
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
