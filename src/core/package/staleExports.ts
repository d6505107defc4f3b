import { lstat, open, readdir, readFile, rm, rmdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { fsyncDir, writeFileAtomic } from '../store/atomicWrite';

/**
 * What a killed export leaves on a medium, and how the next export to the same folder tidies it.
 * An export writes under a hidden temporary name (`.<name>.partial-<12 hex>`); a process killed
 * with SIGKILL (or a machine that lost power) cannot remove it, and without care it would stay on
 * the medium forever. Only what can be proven to be this station's own unfinished output is ever
 * removed: before the temporary copy exists, the export writes a small owner marker beside it,
 * `.<name>.partial-<12 hex>.owner`, naming the station, the host and the engine's process id. The
 * next export to that folder removes a temporary copy only when its marker names this station on
 * this host and that process is gone. Anything else (another station's, another host's, a live
 * process's, a temporary name with no marker) is never touched. The marker also names a final name
 * the export had reserved when it was killed (`publishExport.ts`); that is removed only while it
 * is still empty.
 */

export interface ExportOwner {
  stationId: string;
}

const Marker = z.object({
  type: z.literal('evidence-station/export-in-progress'),
  version: z.literal(1),
  stationId: z.string().min(1),
  host: z.string(),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  partial: z.string(),
  reserved: z.string().nullable(),
});
type Marker = z.infer<typeof Marker>;

const PARTIAL = /^\.(.+)\.partial-[0-9a-f]{12}$/;
const MARKER_SUFFIX = '.owner';
const MAX_MARKER_BYTES = 4096;

export function markerNameOf(partialName: string): string {
  return `${partialName}${MARKER_SUFFIX}`;
}

/** The owner marker of one export: written before its temporary copy, removed after it is published or removed. */
export class ExportMarker {
  private constructor(
    private readonly path: string,
    private marker: Marker,
  ) {}

  static async write(destDir: string, partialName: string, owner: ExportOwner): Promise<ExportMarker> {
    const marker: Marker = {
      type: 'evidence-station/export-in-progress',
      version: 1,
      stationId: owner.stationId,
      host: hostname(),
      pid: process.pid,
      startedAt: new Date().toISOString(),
      partial: partialName,
      reserved: null,
    };
    const path = join(destDir, markerNameOf(partialName));
    const handle = await open(path, 'wx', 0o644);
    try {
      await handle.writeFile(`${JSON.stringify(marker)}\n`);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(path).catch(() => undefined);
      throw error;
    }
    await handle.close();
    await fsyncDir(destDir);
    return new ExportMarker(path, marker);
  }

  /** Records the final name about to be reserved, so a reservation a kill leaves behind is known. */
  async reserve(finalName: string): Promise<void> {
    this.marker = { ...this.marker, reserved: finalName };
    await writeFileAtomic(this.path, `${JSON.stringify(this.marker)}\n`);
  }

  async remove(): Promise<void> {
    await unlink(this.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: a process with that id exists (another user's): it may be ours under another id.
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function readMarker(path: string): Promise<Marker | null> {
  const info = await lstat(path).catch(() => null);
  if (!info?.isFile() || info.size > MAX_MARKER_BYTES) return null;
  try {
    return Marker.parse(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return null;
  }
}

/** Removes `path` when it is an empty folder or an empty file (a reservation nothing was written into). */
async function removeIfEmpty(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  if (!info) return false;
  if (info.isDirectory())
    return rmdir(path).then(
      () => true,
      () => false,
    );
  if (info.isFile() && info.size === 0) {
    await unlink(path);
    return true;
  }
  return false;
}

/**
 * Removes the temporary copies (and their empty reservations and markers) that this station's
 * killed exports left in `destDir`. Returns what it removed, each also logged by the caller.
 */
export async function removeStaleExports(
  destDir: string,
  owner: ExportOwner,
  log: (message: string, fields: Record<string, unknown>) => void,
): Promise<string[]> {
  const removed: string[] = [];
  const names = await readdir(destDir);
  const here = hostname();
  for (const name of names) {
    if (!name.endsWith(MARKER_SUFFIX)) continue;
    const partialName = name.slice(0, -MARKER_SUFFIX.length);
    if (!PARTIAL.test(partialName)) continue;
    const marker = await readMarker(join(destDir, name));
    if (!marker || marker.partial !== partialName) continue;
    if (marker.stationId !== owner.stationId || marker.host !== here) continue;
    if (marker.pid === process.pid || isAlive(marker.pid)) continue;

    const partial = join(destDir, partialName);
    const info = await lstat(partial).catch(() => null);
    // Only what an export writes: a zip file or a bag folder, never a link to elsewhere.
    if (info && (info.isFile() || info.isDirectory())) {
      await rm(partial, { recursive: true, force: true });
      removed.push(partialName);
      log('removed the temporary copy of an export that was killed', { path: partial, pid: marker.pid });
    } else if (info) {
      continue;
    }
    if (marker.reserved !== null && !marker.reserved.includes('/') && !marker.reserved.includes('\\')) {
      const reserved = join(destDir, marker.reserved);
      if (await removeIfEmpty(reserved)) {
        removed.push(marker.reserved);
        log('removed the empty name a killed export had reserved', { path: reserved, pid: marker.pid });
      }
    }
    await unlink(join(destDir, name)).catch(() => undefined);
    removed.push(name);
  }
  if (removed.length > 0) await fsyncDir(destDir);
  return removed;
}
