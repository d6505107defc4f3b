import { chmod, mkdir, rename, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir } from './atomicWrite';
import { HashCopyAbortedError, HashCopyError, type HashCopier, type HashResult } from './hashCopy';
import { evidencePath, type StationLayout } from './layout';

/**
 * The last steps every file takes into the evidence store, whether it was copied from a camera or
 * cut here: renamed under its SHA-256, made read-only, its directory fsynced, and proven to hold
 * the hash it was stored under by a read from the disk (after the rename, or during the copy).
 */

export type StoreFailure = 'diskFull' | 'storeError' | 'copyMismatch';

/** The file could not be kept; nothing of it is left in the store. */
export class StoreFileError extends Error {
  constructor(
    readonly kind: StoreFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StoreFileError';
  }
}

/** Removes a file we wrote, whether or not it was made read-only. */
export async function removeOwnFile(path: string): Promise<void> {
  await chmod(path, 0o600).catch(() => undefined);
  await unlink(path).catch(() => undefined);
}

export interface PlaceInStoreOptions {
  layout: StationLayout;
  copier: HashCopier;
  /** A finished, fsynced temporary file in the store's volume (so the rename moves no bytes). */
  temp: string;
  sha256: string;
  bytes: number;
  signal?: AbortSignal;
  onVerifyProgress?: (bytes: number) => void;
  /** Test seam: runs between storing the file and re-reading it. */
  beforeVerify?: (storedPath: string) => Promise<void>;
  /**
   * `reread` (imports): `sha256` was computed from the source, so the stored copy is read back and
   * compared. `hashedOnDisk` (files the station made): `sha256` was itself computed by reading
   * `temp` from the disk (direct I/O) after it was fsynced, and the rename moves no bytes, so a
   * second read of the same blocks would prove nothing new; the stored size is still checked.
   * `rereadDuringCopy` (imports): the copier read every flushed slice of `temp` back from the disk
   * (direct I/O) while the copy went on; `reread` is what that gave. It is compared with `sha256`
   * and `bytes` before the rename, so a copy that reads back differently never enters the store;
   * the rename moves no bytes, so it is not read a third time, and the stored size is checked.
   */
  verify?: 'reread' | 'hashedOnDisk' | 'rereadDuringCopy';
  /** With `rereadDuringCopy`: the copier's re-read of `temp`. */
  reread?: HashResult;
}

/**
 * Moves `temp` into the store and proves the stored copy holds `sha256`. Resolves with the stored
 * path. Throws `StoreFileError` when the file cannot be kept and `HashCopyAbortedError` when
 * `signal` aborts; either way neither the temp file nor the stored copy remains.
 */
export async function placeInStore(opts: PlaceInStoreOptions): Promise<string> {
  const stored = evidencePath(opts.layout, opts.sha256);
  if (opts.verify === 'rereadDuringCopy') {
    const reread = opts.reread;
    if (!reread || reread.sha256 !== opts.sha256 || reread.bytes !== opts.bytes) {
      await removeOwnFile(opts.temp);
      throw new StoreFileError(
        'copyMismatch',
        reread
          ? `copy hashed ${reread.sha256} (${reread.bytes} bytes), source ${opts.sha256} (${opts.bytes} bytes)`
          : 'the copy was not read back',
      );
    }
  }
  try {
    await mkdir(dirname(stored), { recursive: true });
    // A stored file without an item is a leftover of an interrupted run; the re-read below decides
    // whether it holds these bytes, so replacing it is always safe.
    if (
      await stat(stored).then(
        () => true,
        () => false,
      )
    )
      await removeOwnFile(stored);
    await rename(opts.temp, stored);
    await chmod(stored, 0o444);
    await fsyncDir(dirname(stored));
  } catch (error) {
    await removeOwnFile(opts.temp);
    const code = (error as NodeJS.ErrnoException).code;
    throw new StoreFileError(code === 'ENOSPC' ? 'diskFull' : 'storeError', (error as Error).message);
  }

  if (opts.verify === 'hashedOnDisk' || opts.verify === 'rereadDuringCopy') {
    const size = await stat(stored).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== opts.bytes) {
      await removeOwnFile(stored);
      throw new StoreFileError('copyMismatch', `stored ${size} bytes, hashed ${opts.bytes}`);
    }
    return stored;
  }
  try {
    await opts.beforeVerify?.(stored);
    const reread = await opts.copier.hash(stored, { signal: opts.signal, onProgress: opts.onVerifyProgress });
    if (reread.sha256 !== opts.sha256 || reread.bytes !== opts.bytes) {
      throw new StoreFileError('copyMismatch', `copy hashed ${reread.sha256}, source ${opts.sha256}`);
    }
  } catch (error) {
    await removeOwnFile(stored);
    if (error instanceof StoreFileError || error instanceof HashCopyAbortedError) throw error;
    if (opts.signal?.aborted) throw new HashCopyAbortedError();
    if (error instanceof HashCopyError) throw new StoreFileError('storeError', error.message);
    throw error;
  }
  return stored;
}
