import { statfs } from 'node:fs/promises';
import { AppError } from '../../shared/errors';

/**
 * Room kept free beyond the files themselves, for the database, its journal and derived media:
 * 256 MiB, or 2% of a small volume.
 */
const RESERVE_BYTES = 256 * 1024 * 1024;
const RESERVE_FRACTION = 0.02;

/**
 * Refuses work that cannot fit before anything is written. An import counts every candidate file,
 * duplicates included, since their hashes are not known until they are read; a clip or still
 * counts an estimate of its output (`store.insufficientSpace`).
 */
export async function ensureFreeSpace(
  dir: string,
  neededBytes: number,
  code: 'import.insufficientSpace' | 'store.insufficientSpace' = 'import.insufficientSpace',
): Promise<void> {
  const fs = await statfs(dir);
  const available = fs.bavail * fs.bsize;
  const reserve = Math.min(RESERVE_BYTES, Math.ceil(fs.blocks * fs.bsize * RESERVE_FRACTION));
  if (neededBytes + reserve > available) {
    throw new AppError(code, { needed: neededBytes + reserve, available });
  }
}
