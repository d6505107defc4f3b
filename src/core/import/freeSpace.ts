import { statfs } from 'node:fs/promises';
import { AppError } from '../../shared/errors';

/**
 * Room kept free beyond the files themselves, for the database, its journal and derived media:
 * 256 MiB, or 2% of a small volume.
 */
const RESERVE_BYTES = 256 * 1024 * 1024;
const RESERVE_FRACTION = 0.02;

/**
 * Refuses an import that cannot fit before anything is written. It counts every candidate file,
 * duplicates included, since their hashes are not known until they are read.
 */
export async function ensureFreeSpace(dir: string, neededBytes: number): Promise<void> {
  const fs = await statfs(dir);
  const available = fs.bavail * fs.bsize;
  const reserve = Math.min(RESERVE_BYTES, Math.ceil(fs.blocks * fs.bsize * RESERVE_FRACTION));
  if (neededBytes + reserve > available) {
    throw new AppError('import.insufficientSpace', { needed: neededBytes + reserve, available });
  }
}
