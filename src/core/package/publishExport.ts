import { link, lstat, mkdir, open, rename, rmdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { fsyncDir } from '../store/atomicWrite';

/**
 * Gives a verified export its name on the medium without ever replacing anything there. Checking
 * that a name is free and then renaming onto it is a race: whatever appears at that name between
 * the two (another export, a person copying a file) would be replaced, because rename(2)
 * overwrites a file and an empty folder. Node has no renameat2(RENAME_NOREPLACE), so each step
 * that takes the name is itself one that fails when the name exists:
 *
 * - a zip: `link(tmp, final)` (EEXIST when anything is there), then `unlink(tmp)`. On file
 *   systems without hard links (FAT32 and exFAT, the usual USB stick: EPERM, ENOTSUP, ENOSYS)
 *   the name is first reserved with `open(final, O_CREAT | O_EXCL)`, which is atomic there too,
 *   and the zip renamed onto that empty file, which is ours (a file rename replaces on Linux and,
 *   through MoveFileEx(REPLACE_EXISTING), on Windows).
 * - a folder, POSIX: `mkdir(final)` reserves the name (EEXIST when anything is there), then the
 *   copy is renamed onto that empty folder, which rename(2) replaces atomically on ext4, vfat and
 *   exfat. Should someone put a file into the reserved folder meanwhile, the rename fails
 *   (ENOTEMPTY) instead of replacing it, and the folder, now theirs, is left alone.
 * - a folder, Windows: MoveFileEx never replaces a folder, so a plain rename already fails when the
 *   name exists; a reservation would only make every rename fail.
 *
 * A name found taken moves on to the next suffix (`_2`, `_3`, …). A name counts as taken when
 * either `<name>` or `<name>.zip` exists, so a folder and a zip of one export never share a name;
 * that look-up is a naming convention, not the guard against overwriting, which is the steps above.
 * A reservation left by a killed process is named in the export's owner marker
 * (`onReserve`), so the next export's stale clean-up can remove it while it is still empty.
 */

export interface PublishOptions {
  /** The verified temporary copy: a zip file or a bag folder, in `destDir`. */
  tmp: string;
  destDir: string;
  /** The package's name, without `.zip`. */
  name: string;
  zip: boolean;
  /** Called with each name before it is reserved (the owner marker records it). */
  onReserve?: (finalName: string) => Promise<void>;
  /** Tests: runs after a name was judged free and before it is taken, to make it appear meanwhile. */
  beforeTake?: (finalPath: string) => Promise<void>;
  platform?: NodeJS.Platform;
  /** False takes the no-hard-link path (FAT32, exFAT) on any file system: for tests. */
  hardLinks?: boolean;
}

const MAX_SUFFIX = 999;
/** A file system that cannot hard-link (FAT32, exFAT, some network shares). */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK']);
/** What a taken name makes rename, mkdir or link fail with, across platforms. */
const TAKEN = new Set(['EEXIST', 'ENOTEMPTY', 'ENOTDIR', 'EISDIR', 'EPERM', 'EACCES']);

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false;
      throw error;
    },
  );
}

const codeOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** `<name>` if neither it nor `<name>.zip` exists, for the `n`-th try. */
function candidate(name: string, n: number): string {
  return n === 1 ? name : `${name}_${n}`;
}

/** Publishes `tmp` under the first free name; returns the final path. Never replaces anything. */
export async function publishExport(opts: PublishOptions): Promise<string> {
  const platform = opts.platform ?? process.platform;
  let linksWork = opts.hardLinks ?? true;
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const base = candidate(opts.name, n);
    if ((await exists(join(opts.destDir, base))) || (await exists(join(opts.destDir, `${base}.zip`)))) continue;
    const finalName = opts.zip ? `${base}.zip` : base;
    const finalPath = join(opts.destDir, finalName);
    await opts.onReserve?.(finalName);
    await opts.beforeTake?.(finalPath);
    const taken = opts.zip
      ? await takeForZip(opts.tmp, finalPath, linksWork).then((r) => {
          linksWork = r.linksWork;
          return r.taken;
        })
      : await takeForFolder(opts.tmp, finalPath, platform);
    if (!taken) continue;
    await fsyncDir(opts.destDir);
    return finalPath;
  }
  throw new AppError('export.destination', { path: opts.destDir });
}

async function takeForZip(
  tmp: string,
  finalPath: string,
  linksWork: boolean,
): Promise<{ taken: boolean; linksWork: boolean }> {
  if (linksWork) {
    try {
      await link(tmp, finalPath);
      await unlink(tmp);
      return { taken: true, linksWork };
    } catch (error) {
      if (codeOf(error) === 'EEXIST') return { taken: false, linksWork };
      if (!NO_LINKS.has(codeOf(error) ?? '')) throw error;
      // EPERM on Linux vfat means "no hard links here"; whether the name is free is asked below.
    }
  }
  let reservation;
  try {
    reservation = await open(finalPath, 'wx', 0o644);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return { taken: false, linksWork: false };
    throw error;
  }
  await reservation.close();
  await rename(tmp, finalPath);
  return { taken: true, linksWork: false };
}

async function takeForFolder(tmp: string, finalPath: string, platform: NodeJS.Platform): Promise<boolean> {
  if (platform === 'win32') {
    try {
      await rename(tmp, finalPath);
      return true;
    } catch (error) {
      if (TAKEN.has(codeOf(error) ?? '') && (await exists(finalPath))) return false;
      throw error;
    }
  }
  try {
    await mkdir(finalPath);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await rename(tmp, finalPath);
    return true;
  } catch (error) {
    if (codeOf(error) !== 'ENOTEMPTY' && codeOf(error) !== 'EEXIST') {
      await rmdir(finalPath).catch(() => undefined);
      throw error;
    }
    // Someone wrote into the reserved folder: it holds their files now, and stays.
    return false;
  }
}
