import { chmod, lstat, mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '../../shared/errors';
import { fsyncDir } from '../store/atomicWrite';
import { DirectFileWriter, alignedBuffers } from '../store/directIo';
import { compareUtf8 } from './bagFormat';
import { ReadBackHasher, type FollowedFile } from './readBack';

/**
 * Copies a bag's files to the export medium. Nothing is hashed here: the export reads the copy
 * back from the medium and verifies every hash against the signed manifests afterwards, which is
 * the check that counts, so hashing on the way out would only spend a core.
 *
 * Written data goes to the medium directly (O_DIRECT, in large aligned requests) where the file
 * system allows it, so it is neither held twice in the page cache nor written back in small
 * pieces at the end; where it does not (tmpfs, some FUSE or network mounts), plain writes are
 * used and the result is the same. A read of the next chunk is in flight while a chunk is
 * written, and the written data is flushed in slices while the copy goes on, so the flush of one
 * slice overlaps the writing of the next instead of all of it waiting at the end. One file at a
 * time, largest first: a removable medium is one queue, and two streams would only seek.
 *
 * With a `readBack`, each file is read back from the medium while it is written: every slice
 * once it is flushed, on the read-back's own thread, so reading and hashing the copy overlap the
 * writing of the rest instead of following all of it.
 */

export interface DirectCopyFile {
  /** Relative path inside the bag, `/`-separated. */
  path: string;
  size: number;
}

export interface DirectCopyOptions {
  signal?: AbortSignal | undefined;
  /** Bytes copied so far, of all files. */
  onProgress?: (bytes: number) => void;
  /** Chunk size (a multiple of 4096); tests use small ones to cross many chunk edges. */
  chunkBytes?: number;
  /** Flush the written data every this many bytes. */
  syncEveryBytes?: number;
  /** Reads each file back from the medium as its slices are flushed. */
  readBack?: ReadBackHasher | undefined;
}

export interface DirectCopyResult {
  bytes: number;
  /**
   * SHA-256 of each file (by its path in the bag) as read back from the medium; files that could
   * not be read back are missing (the verification then reads them itself and reports them).
   */
  readBackHashes: Map<string, string>;
}

const CHUNK_BYTES = 8 * 1024 * 1024;
const SYNC_EVERY_BYTES = 64 * 1024 * 1024;
const FILE_MODE = 0o644;

function cancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('export.cancelled');
}

/** Every folder the files need, parents first. */
function foldersOf(files: readonly DirectCopyFile[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    for (let d = dirname(f.path); d !== '.' && d !== ''; d = dirname(d)) dirs.add(d);
  }
  return [...dirs].sort((a, b) => a.split('/').length - b.split('/').length || compareUtf8(a, b));
}

/**
 * Creates `to` (which must not exist) and copies every file of `from` listed in `files` into it,
 * then flushes every file and folder. A file whose size differs from the one listed fails the
 * copy; the caller removes `to` on any failure.
 */
export async function copyTreeDirect(
  from: string,
  to: string,
  files: readonly DirectCopyFile[],
  opts: DirectCopyOptions = {},
): Promise<DirectCopyResult> {
  const chunkBytes = opts.chunkBytes ?? CHUNK_BYTES;
  if (chunkBytes % 4096 !== 0) throw new Error('the copy chunk must be a multiple of 4096 bytes');
  cancelled(opts.signal);
  await mkdir(to);
  const folders = foldersOf(files);
  for (const d of folders) await mkdir(join(to, d));
  const order = [...files].sort((a, b) => b.size - a.size || compareUtf8(a.path, b.path));
  // Three buffers: one being read into, one being written from, one whose write just ended.
  const buffers = alignedBuffers(3, chunkBytes);
  let copied = 0;
  const readBacks: Array<{ path: string; result: Promise<{ sha256: string; bytes: number }> }> = [];
  for (const f of order) {
    cancelled(opts.signal);
    const dest = join(to, f.path);
    const followed = opts.readBack?.follow(dest);
    if (followed) readBacks.push({ path: f.path, result: followed.result });
    const bytes = await copyOne(join(from, f.path), dest, buffers, chunkBytes, {
      followed,
      signal: opts.signal,
      syncEveryBytes: opts.syncEveryBytes ?? SYNC_EVERY_BYTES,
      onProgress: (n) => opts.onProgress?.(copied + n),
    });
    if (bytes !== f.size) throw new AppError('export.failed', { reason: `${f.path} changed size while copying` });
    await chmod(join(to, f.path), FILE_MODE);
    copied += bytes;
    opts.onProgress?.(copied);
  }
  for (const d of [...folders].reverse()) await fsyncDir(join(to, d));
  await fsyncDir(to);
  const readBackHashes = new Map<string, string>();
  for (const r of readBacks) {
    const got = await r.result.catch(() => null);
    cancelled(opts.signal);
    if (got) readBackHashes.set(r.path, got.sha256);
  }
  return { bytes: copied, readBackHashes };
}

/**
 * The export's copy of a bag folder: `copyTreeDirect` with every file read back from the medium
 * (direct I/O) while the next slice is written. The hashes read back go to the verification.
 */
export async function copyAndReadBack(
  from: string,
  to: string,
  files: readonly DirectCopyFile[],
  opts: Pick<DirectCopyOptions, 'signal' | 'onProgress'> = {},
): Promise<DirectCopyResult> {
  const readBack = new ReadBackHasher({ direct: true, signal: opts.signal });
  try {
    return await copyTreeDirect(from, to, files, { ...opts, readBack });
  } finally {
    await readBack.close();
  }
}

async function openRegular(path: string): Promise<FileHandle> {
  // The bag is the station's own, but a link inside it must not carry the copy elsewhere.
  const info = await lstat(path);
  if (!info.isFile()) throw new AppError('export.failed', { reason: `${path} is not a regular file` });
  return open(path, 'r');
}

async function copyOne(
  source: string,
  dest: string,
  buffers: Buffer[],
  chunkBytes: number,
  opts: {
    followed: FollowedFile | undefined;
    signal: AbortSignal | undefined;
    syncEveryBytes: number;
    onProgress: (bytes: number) => void;
  },
): Promise<number> {
  const src = await openRegular(source);
  let dst: DirectFileWriter | undefined;
  // Requests still in flight when something fails; settled before the files are closed.
  let pendingRead: Promise<unknown> = Promise.resolve();
  let pendingWrite: Promise<unknown> = Promise.resolve();
  let pendingSync: Promise<unknown> = Promise.resolve();
  try {
    dst = await DirectFileWriter.create(dest);
    const out = dst;
    let position = 0;
    let nextSync = opts.syncEveryBytes;
    let i = 0;
    let nextRead = src.read(buffers[0]!, 0, chunkBytes, 0);
    pendingRead = nextRead;
    for (;;) {
      const { bytesRead } = await nextRead;
      if (bytesRead === 0) break;
      cancelled(opts.signal);
      const current = buffers[i % 3]!;
      const readAt = position + bytesRead;
      // The buffer read into next was written from two turns ago; that write has been awaited.
      nextRead = src.read(buffers[(i + 1) % 3]!, 0, chunkBytes, readAt);
      nextRead.catch(() => undefined);
      pendingRead = nextRead;
      await pendingWrite;
      pendingWrite = out.write(current, bytesRead, position);
      // Awaited on the next turn; until then a rejection (ENOSPC) must not count as unhandled.
      pendingWrite.catch(() => undefined);
      position = readAt;
      i++;
      opts.onProgress(position);
      if (position >= nextSync) {
        // One flush in flight at a time: waiting for the previous one bounds what is unflushed.
        await pendingSync;
        await pendingWrite;
        const flushed = position;
        pendingSync = out.datasync().then(() => opts.followed?.written(flushed));
        pendingSync.catch(() => undefined);
        nextSync = position + opts.syncEveryBytes;
      }
    }
    await pendingWrite;
    await pendingSync;
    await out.sync();
    opts.followed?.complete(position);
    return position;
  } finally {
    await Promise.allSettled([pendingRead, pendingWrite, pendingSync]);
    await src.close().catch(() => undefined);
    await dst?.close().catch(() => undefined);
  }
}
