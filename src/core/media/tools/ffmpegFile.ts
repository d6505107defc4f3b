import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../../engineApi';
import { fsyncDir } from '../../store/atomicWrite';
import { mediaToolsProvenance, type MediaTools, type MediaToolsProvenance } from './binaries';
import { formatCommandLine, runProcess } from './runProcess';

/**
 * The one way ffmpeg writes a file the station keeps (derived media, clips, stills): into a temp
 * file next to `out`, checked, fsynced and renamed, so `out` is either absent or complete. The
 * result carries what provenance needs: tool, version and the argument list with the final path.
 */

export interface FfmpegFileOptions {
  signal?: AbortSignal;
  log?: Logger;
  /** Kills a hung ffmpeg. */
  timeoutMs: number;
  onStdoutLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** ffmpeg's `-v` level; `info` when stderr is parsed (showinfo), else `error`. */
  logLevel?: 'error' | 'info';
  /**
   * Looks at the finished temp file before it is committed (while it is fsynced: the two overlap);
   * throwing removes it and fails the run.
   */
  beforeCommit?: (tempPath: string) => Promise<void>;
}

export interface FfmpegFile {
  path: string;
  tool: 'ffmpeg';
  toolVersion: string;
  /** Both tools that made and measured it: versions, libraries, where they came from. */
  mediaTools: MediaToolsProvenance;
  /** The ffmpeg arguments, with the final output path (the temp name is an implementation detail). */
  args: string[];
  /** Copyable shell line of the same. */
  commandLine: string;
}

/** Leading arguments of every run: no stdin, no banner, overwrite the (fresh, random) temp file. */
export function ffmpegBaseArgs(logLevel: 'error' | 'info' = 'error'): string[] {
  return ['-nostdin', '-hide_banner', '-v', logLevel, '-y'];
}

/** A hidden name next to `out`, unique per run; `recovery` and readers ignore `.…tmp` names. */
export function tempPathFor(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * Runs `ffmpeg <base> …args <temp>` and commits the temp file as `out`. `args` must name the
 * output format (`-f`), since the temp name has no telling extension.
 */
export async function runFfmpegToFile(
  tools: MediaTools,
  args: readonly string[],
  out: string,
  opts: FfmpegFileOptions,
): Promise<FfmpegFile> {
  const base = ffmpegBaseArgs(opts.logLevel);
  const temp = tempPathFor(out);
  try {
    await runProcess(tools.ffmpeg.path, [...base, ...args, temp], {
      signal: opts.signal,
      timeoutMs: opts.timeoutMs,
      log: opts.log,
      onStdoutLine: opts.onStdoutLine,
      onStderrLine: opts.onStderrLine,
    });
    // ffmpeg exits 0 with "Output file is empty" when, e.g., the seek lands past the last frame.
    if ((await stat(temp)).size === 0)
      throw new Error(`ffmpeg wrote nothing: ${formatCommandLine(tools.ffmpeg.path, args)}`);
    const synced = syncFile(temp);
    const checked = opts.beforeCommit?.(temp);
    // Both settle before the temp file may be removed; the first failure is the one reported.
    const [sync, check] = await Promise.allSettled([synced, checked]);
    if (check.status === 'rejected') throw check.reason;
    if (sync.status === 'rejected') throw sync.reason;
    await rename(temp, out);
    await syncDirectory(path.dirname(out));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  const finalArgs = [...base, ...args, out];
  return {
    path: out,
    tool: 'ffmpeg',
    toolVersion: tools.ffmpeg.version,
    mediaTools: mediaToolsProvenance(tools),
    args: finalArgs,
    commandLine: formatCommandLine(tools.ffmpeg.path, finalArgs),
  };
}

export async function syncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes a rename durable. Directories cannot be opened on Windows; there it is skipped. */
export async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  await fsyncDir(dir);
}

/** Seconds as ffmpeg reads them: microsecond precision (ffmpeg's own unit), never exponent notation. */
export function formatSecondsForFfmpeg(seconds: number): string {
  return seconds.toFixed(6);
}
