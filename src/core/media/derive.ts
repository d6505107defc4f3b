import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../engineApi';
import type { MediaTools } from './binaries';
import { parseFfmpegProgressLine } from './ffmpegProgress';
import { parseFfprobe, runFfprobe } from './ffprobe';
import { formatCommandLine, runProcess } from './runProcess';

/**
 * Derived media made in the background from an original: thumbnail, filmstrip, playback proxy.
 * Each is written to a temp file next to `out`, fsynced and renamed, so `out` is either absent or
 * complete. The result carries what provenance needs: tool, version and the command line.
 */

export interface DeriveOptions {
  signal?: AbortSignal;
  /** Fraction done, 0..1, non-decreasing; 1 is reported once the file is in place. */
  onProgress?: (fraction: number) => void;
  /** Known duration of `src`; probed with ffprobe when absent and needed. */
  durationSec?: number;
  log?: Logger;
}

export interface DerivedMedia {
  path: string;
  tool: 'ffmpeg';
  toolVersion: string;
  /** The ffmpeg arguments, with the final output path (the temp name is an implementation detail). */
  args: string[];
  /** Copyable shell line of the same. */
  commandLine: string;
}

const THUMBNAIL_WIDTH = 320;
const THUMBNAIL_AT_FRACTION = 0.1;
/** Hour-long footage re-encodes for a long time; hung processes are caught by this. */
const PROXY_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const STILL_TIMEOUT_MS = 2 * 60 * 1000;
const BASE_ARGS = ['-nostdin', '-hide_banner', '-v', 'error', '-y'];

/**
 * A JPEG `THUMBNAIL_WIDTH` px wide of the frame at `atSec` (default: 10% into the video). Works on
 * photos too. `rotation` turns the picture clockwise first: for photos' EXIF orientation, which
 * this ffmpeg does not apply itself (video display matrices it does apply).
 */
export async function makeThumbnail(
  tools: MediaTools,
  src: string,
  out: string,
  opts: DeriveOptions & { atSec?: number; rotation?: number } = {},
): Promise<DerivedMedia & { atSec: number }> {
  const atSec = opts.atSec ?? (await readDuration(tools, src, opts, false)) * THUMBNAIL_AT_FRACTION;
  const seek = atSec > 0 ? ['-ss', formatSeconds(atSec)] : [];
  const filters = [...rotationFilters(opts.rotation), `scale=${THUMBNAIL_WIDTH}:-2`].join(',');
  const args = [...seek, '-i', src, '-map', '0:v:0', '-frames:v', '1', '-vf', filters, '-q:v', '4', '-f', 'mjpeg'];
  const made = await runFfmpegToFile(tools, args, out, opts, STILL_TIMEOUT_MS);
  return { ...made, atSec };
}

export interface FilmstripOptions extends DeriveOptions {
  /** Number of tiles; default 20. */
  frames?: number;
  /** Width of each tile in px; default 160. */
  width?: number;
}

/**
 * One JPEG sprite of `frames` tiles in a single row, each `width` px wide, taken at the middle of
 * equal slices of the video. Each tile is a separate fast seek, so hours of footage are not decoded.
 * Returns the time of each tile, left to right.
 */
export async function makeFilmstrip(
  tools: MediaTools,
  src: string,
  out: string,
  opts: FilmstripOptions = {},
): Promise<DerivedMedia & { tileTimesSec: number[]; tileWidth: number }> {
  const frames = Math.max(1, Math.floor(opts.frames ?? 20));
  const tileWidth = opts.width ?? 160;
  const duration = await readDuration(tools, src, opts, true);
  const tileTimesSec = Array.from({ length: frames }, (_, i) => round3(((i + 0.5) * duration) / frames));
  const inputs = tileTimesSec.flatMap((t) => ['-ss', formatSeconds(t), '-i', src]);
  const scaled = tileTimesSec.map((_, i) => `[${i}:v:0]scale=${tileWidth}:-2,setsar=1[t${i}]`);
  const labels = tileTimesSec.map((_, i) => `[t${i}]`).join('');
  const graph =
    frames === 1
      ? `[0:v:0]scale=${tileWidth}:-2,setsar=1[strip]`
      : `${scaled.join(';')};${labels}hstack=inputs=${frames}[strip]`;
  const args = [...inputs, '-filter_complex', graph, '-map', '[strip]', '-frames:v', '1', '-q:v', '5', '-f', 'mjpeg'];
  const made = await runFfmpegToFile(tools, args, out, opts, STILL_TIMEOUT_MS);
  return { ...made, tileTimesSec, tileWidth };
}

/**
 * An H.264 (yuv420p) + AAC MP4 for watching formats Chromium cannot play. ffmpeg turns the picture
 * upright (autorotate) and drops the rotation tag, so the proxy plays the right way up anywhere.
 * Progress comes from `-progress pipe:1`. Clips are always cut from the original, never from this.
 */
export async function makeProxy(
  tools: MediaTools,
  src: string,
  out: string,
  opts: DeriveOptions = {},
): Promise<DerivedMedia> {
  const duration = await readDuration(tools, src, opts, false);
  const args = [
    ...['-i', src, '-map', '0:v:0', '-map', '0:a:0?', '-sn', '-dn', '-map_metadata', '-1'],
    // Even dimensions: yuv420p cannot hold odd ones.
    ...['-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23'],
    ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-ac', '2'],
    // ffmpeg 4.x gives up on files whose audio and video interleave badly without a larger queue.
    ...['-max_muxing_queue_size', '4096', '-movflags', '+faststart'],
    ...['-progress', 'pipe:1', '-nostats', '-f', 'mp4'],
  ];
  let reported = 0;
  const onStdoutLine = (line: string) => {
    const fraction = parseFfmpegProgressLine(line, duration);
    // Held below 1 until the file is renamed into place.
    if (fraction !== null && fraction > reported && fraction < 1) {
      reported = fraction;
      opts.onProgress?.(fraction);
    }
  };
  return runFfmpegToFile(tools, args, out, opts, PROXY_TIMEOUT_MS, onStdoutLine);
}

async function runFfmpegToFile(
  tools: MediaTools,
  args: string[],
  out: string,
  opts: DeriveOptions,
  timeoutMs: number,
  onStdoutLine?: (line: string) => void,
): Promise<DerivedMedia> {
  const temp = path.join(path.dirname(out), `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await runProcess(tools.ffmpeg.path, [...BASE_ARGS, ...args, temp], {
      signal: opts.signal,
      timeoutMs,
      log: opts.log,
      onStdoutLine,
    });
    // ffmpeg exits 0 with "Output file is empty" when, e.g., the seek lands past the last frame.
    if ((await stat(temp)).size === 0)
      throw new Error(`ffmpeg wrote nothing: ${formatCommandLine(tools.ffmpeg.path, args)}`);
    await syncFile(temp);
    await rename(temp, out);
    await syncDirectory(path.dirname(out));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  opts.onProgress?.(1);
  const finalArgs = [...BASE_ARGS, ...args, out];
  return {
    path: out,
    tool: 'ffmpeg',
    toolVersion: tools.ffmpeg.version,
    args: finalArgs,
    commandLine: formatCommandLine(tools.ffmpeg.path, finalArgs),
  };
}

async function syncFile(file: string) {
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the rename itself durable. Directories cannot be opened on Windows; there it is skipped. */
async function syncDirectory(dir: string) {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readDuration(tools: MediaTools, src: string, opts: DeriveOptions, required: boolean): Promise<number> {
  if (opts.durationSec !== undefined && opts.durationSec > 0) return opts.durationSec;
  const facts = parseFfprobe(await runFfprobe(tools, src, opts.signal, opts.log));
  // Still images probe as one-frame "videos" (image2, png_pipe, …): there is nothing to seek to.
  const isStill = /^image2$|_pipe$/.test(facts.container ?? '');
  const duration = facts.hasVideo && !isStill ? (facts.durationSec ?? 0) : 0;
  if (required && !(duration > 0)) throw new Error(`no video duration in ${src}`);
  return duration;
}

function rotationFilters(rotation: number | undefined): string[] {
  switch (rotation) {
    case 90:
      return ['transpose=clock'];
    case 180:
      return ['hflip', 'vflip'];
    case 270:
      return ['transpose=cclock'];
    default:
      return [];
  }
}

/** Seconds as ffmpeg reads them, millisecond precision, never exponent notation. */
function formatSeconds(seconds: number): string {
  return Math.max(0, seconds).toFixed(3);
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
