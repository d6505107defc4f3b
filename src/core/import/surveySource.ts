import { stat } from 'node:fs/promises';
import type { SourceGate } from './sourcePolicy';
import { scanSources } from './scanSources';

export interface SourceSurvey {
  path: string;
  kind: 'folder' | 'file';
  /** Regular files the import would read. */
  files: number;
  bytes: number;
  /** Links, special files and folders the import lists but will not read. */
  skipped: number;
}

/**
 * What a chosen path holds, before the import starts: the same gate and the same walk as the
 * import itself, so a path that import.start would refuse is refused here, with the same named
 * error (not found, not allowed, unreadable), when it is added to the list rather than at Start.
 * The walk is asynchronous file-system calls, one entry at a time: a huge folder takes its time
 * without holding the engine's event loop, and only the totals travel back.
 */
export async function surveySource(path: string, gate: SourceGate, signal?: AbortSignal): Promise<SourceSurvey> {
  // What the path is, before the walk: a folder removed while it was walked was still a folder,
  // not a "file" of thousands of files. A path that is gone already is refused by the scan.
  const isFolder = (await stat(await gate.check(path)).catch(() => null))?.isDirectory() ?? false;
  const found = await scanSources([path], gate, signal);
  let files = 0;
  let bytes = 0;
  for (const f of found) {
    if (f.entry !== 'file') continue;
    files++;
    bytes += f.size;
  }
  return { path, kind: isFolder ? 'folder' : 'file', files, bytes, skipped: found.length - files };
}
