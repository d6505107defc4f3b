import { open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HashCopier, HashResult } from './hashCopy';
import type { StationLayout } from './layout';
import { placeInStore, removeOwnFile } from './placeInStore';

/**
 * Takes a file the station made itself (a clip, a still) into the evidence store the way imports
 * store originals. There is no source to hash on first contact: the tool's output, once on the
 * disk, is the first contact. So it is fsynced, hashed from the disk with direct I/O (and probed
 * meanwhile, by `inspect`), then renamed into the store under that hash by `placeInStore`; the
 * rename moves no bytes, so the blocks just hashed are the blocks stored and are not read twice.
 * A caller that already hashed the finished file that way (a clip, hashed by the worker while it
 * was measured and fsynced) passes `hashed`, and the file is not read for the hash again.
 *
 * Between the rename into the store and the transaction that records it, a marker
 * `tmp/<sha256>.storing` says that copy is not recorded yet: recovery after a crash removes such a
 * copy unless an item holds its hash (`removeUnrecordedMadeFiles`).
 */

const MARKER = /^([0-9a-f]{64})\.storing$/;

export type MadeFile<T> =
  | { kind: 'duplicate'; sha256: string; bytes: number; itemId: string }
  | {
      kind: 'stored';
      sha256: string;
      bytes: number;
      path: string;
      /** What `inspect` found. */
      inspected: T;
      /**
       * Call once the item is recorded (`recorded: true`) or could not be (`false`: the stored copy
       * is removed). Either way the recovery marker goes.
       */
      settle(recorded: boolean): Promise<void>;
    };

export interface StoreMadeFileOptions<T> {
  layout: StationLayout;
  copier: HashCopier;
  /** The tool's finished output, in `layout.tmpDir`. It is moved or removed, never left behind. */
  temp: string;
  /** The item already holding these bytes, if any. */
  findItemBySha(sha256: string): string | null;
  /**
   * Reads the temp file (ffprobe) while it is hashed, so the two reads overlap on separate cores;
   * it must not change the file. Its failure fails the store and removes the file.
   */
  inspect(temp: string): Promise<T>;
  /**
   * The file's SHA-256 and size, when the caller already read it from the disk with direct I/O
   * (`HashCopier.hash`) after it was finished, with an fsync that completed before this call.
   * Only the fsync (cheap: nothing is dirty) and `inspect` then run before it is placed.
   */
  hashed?: HashResult;
  signal?: AbortSignal;
}

/**
 * Stores `temp` as evidence, or reports the item that already holds the same bytes. Throws what
 * `placeInStore` throws (`StoreFileError`, `HashCopyAbortedError`); nothing is left on failure.
 */
export async function storeMadeFile<T>(opts: StoreMadeFileOptions<T>): Promise<MadeFile<T>> {
  let sha256: string;
  let bytes: number;
  let inspected: T;
  try {
    await fsyncFile(opts.temp);
    const inspecting = opts.inspect(opts.temp);
    // Both are awaited before anything else happens, so neither outlives a failure of the other.
    const [hashed, inspection] = await Promise.allSettled([
      opts.hashed ?? opts.copier.hash(opts.temp, { signal: opts.signal }),
      inspecting,
    ]);
    if (hashed.status === 'rejected') throw hashed.reason;
    if (inspection.status === 'rejected') throw inspection.reason;
    ({ sha256, bytes } = hashed.value);
    inspected = inspection.value;
  } catch (error) {
    await removeOwnFile(opts.temp);
    throw error;
  }
  const existing = opts.findItemBySha(sha256);
  if (existing) {
    await removeOwnFile(opts.temp);
    return { kind: 'duplicate', sha256, bytes, itemId: existing };
  }
  const marker = join(opts.layout.tmpDir, `${sha256}.storing`);
  await writeFile(marker, '');
  let path: string;
  try {
    path = await placeInStore({
      layout: opts.layout,
      copier: opts.copier,
      temp: opts.temp,
      sha256,
      bytes,
      signal: opts.signal,
      verify: 'hashedOnDisk',
    });
  } catch (error) {
    await rm(marker, { force: true });
    throw error;
  }
  return {
    kind: 'stored',
    sha256,
    bytes,
    path,
    inspected,
    async settle(recorded) {
      if (!recorded) await removeOwnFile(path);
      await rm(marker, { force: true });
    },
  };
}

async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * For recovery, before the temp dir is emptied: hashes named by `.storing` markers whose stored
 * copies never got an item. Returns those hashes; the caller removes the copies.
 */
export function unrecordedMadeFiles(tempNames: string[], isRecorded: (sha256: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of tempNames) {
    const sha = MARKER.exec(name)?.[1];
    if (sha && !isRecorded(sha)) out.push(sha);
  }
  return out;
}
