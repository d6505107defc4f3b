import { open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HashCopier } from './hashCopy';
import type { StationLayout } from './layout';
import { placeInStore, removeOwnFile } from './placeInStore';

/**
 * Takes a file the station made itself (a clip, a still) into the evidence store the way imports
 * store originals. There is no source to hash on first contact: the tool's output, once on the
 * disk, is the first contact. So it is fsynced, hashed, then moved into the store under that hash
 * by `placeInStore`, which re-reads it and compares.
 *
 * Between the rename into the store and the transaction that records it, a marker
 * `tmp/<sha256>.storing` says that copy is not recorded yet: recovery after a crash removes such a
 * copy unless an item holds its hash (`removeUnrecordedMadeFiles`).
 */

const MARKER = /^([0-9a-f]{64})\.storing$/;

export type MadeFile =
  | { kind: 'duplicate'; sha256: string; bytes: number; itemId: string }
  | {
      kind: 'stored';
      sha256: string;
      bytes: number;
      path: string;
      /**
       * Call once the item is recorded (`recorded: true`) or could not be (`false`: the stored copy
       * is removed). Either way the recovery marker goes.
       */
      settle(recorded: boolean): Promise<void>;
    };

export interface StoreMadeFileOptions {
  layout: StationLayout;
  copier: HashCopier;
  /** The tool's finished output, in `layout.tmpDir`. It is moved or removed, never left behind. */
  temp: string;
  /** The item already holding these bytes, if any. */
  findItemBySha(sha256: string): string | null;
  signal?: AbortSignal;
}

/**
 * Stores `temp` as evidence, or reports the item that already holds the same bytes. Throws what
 * `placeInStore` throws (`StoreFileError`, `HashCopyAbortedError`); nothing is left on failure.
 */
export async function storeMadeFile(opts: StoreMadeFileOptions): Promise<MadeFile> {
  let sha256: string;
  let bytes: number;
  try {
    await fsyncFile(opts.temp);
    ({ sha256, bytes } = await opts.copier.hash(opts.temp, { signal: opts.signal }));
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
