import { statfs } from 'node:fs/promises';
import { AppError } from '../../shared/errors';

/** Room kept free beyond the files themselves, for the database, its journal and derived media. */
const RESERVE_BYTES = 256 * 1024 * 1024;

/**
 * Refuses an import that cannot fit before anything is written. It counts every candidate file,
 * duplicates included, since their hashes are not known until they are read.
 */
export async function ensureFreeSpace(dir: string, neededBytes: number): Promise<void> {
  const fs = await statfs(dir);
  const available = fs.bavail * fs.bsize;
  if (neededBytes + RESERVE_BYTES > available) {
    throw new AppError('import.insufficientSpace', { needed: neededBytes + RESERVE_BYTES, available });
  }
}
