import type { Logger } from '../../engineApi';
import { isLegacyEncoder, type MediaTools } from '../tools/binaries';
import { runFfmpegToFile, syncFile, type FfmpegFile } from '../tools/ffmpegFile';
import { parseFfmpegProgressLine } from '../tools/ffmpegProgress';
import { setLastVideoFrameDuration } from '../cut/mp4LastFrame';
import { parseFfprobe, runFfprobe } from '../probe/ffprobe';

/**
 * Derived media made in the background from an original: thumbnail and playback proxy (the
 * filmstrip is in `filmstrip.ts`). Each is written through `runFfmpegToFile`, so `out` is either
 * absent or complete, and the result carries what provenance needs.
 */

export interface DeriveOptions {
  signal?: AbortSignal;
  /** Fraction done, 0..1, non-decreasing; 1 is reported once the file is in place. */
  onProgress?: (fraction: number) => void;
  /** Known duration of `src`; probed with ffprobe when absent and needed. */
  durationSec?: number;
  log?: Logger;
}

export type DerivedMedia = FfmpegFile;

const THUMBNAIL_WIDTH = 320;
const THUMBNAIL_AT_FRACTION = 0.1;
/** Hour-long footage re-encodes for a long time; hung processes are caught by this. */
const PROXY_TIMEOUT_MS = 6 * 60 * 60 * 1000;
const STILL_TIMEOUT_MS = 2 * 60 * 1000;

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
  const atSec = opts.atSec ?? (await readDuration(tools, src, opts)) * THUMBNAIL_AT_FRACTION;
  const seek = atSec > 0 ? ['-ss', formatSeconds(atSec)] : [];
  const filters = [...rotationFilters(opts.rotation), `scale=${THUMBNAIL_WIDTH}:-2`].join(',');
  const args = [...seek, '-i', src, '-map', '0:v:0', '-frames:v', '1', '-vf', filters, '-q:v', '4', '-f', 'mjpeg'];
  const made = await deriveFile(tools, args, out, opts, STILL_TIMEOUT_MS);
  return { ...made, atSec };
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
  const { durationSec: duration, frameSec } = await readVideoTiming(tools, src, opts);
  const args = [
    ...['-i', src, '-map', '0:v:0', '-map', '0:a:0?', '-sn', '-dn', '-map_metadata', '-1'],
    // Even dimensions: yuv420p cannot hold odd ones.
    ...['-vf', 'scale=trunc(iw/2)*2:trunc(ih/2)*2', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23'],
    ...['-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-ac', '2'],
    // Every frame keeps its own time (in the source's time base), so the proxy's timeline is the
    // original's and a frame number means the same frame in both. A constant-rate output moves the
    // frames when the video starts after the audio (MPEG-TS): it repeats the first one to start at
    // 0. No B-frames, so the last sample is the last frame, and it is given its duration below.
    ...['-vsync', 'passthrough', '-enc_time_base:v', '-1', '-bf', '0'],
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
  // ffmpeg 4.1 writes no duration for the last frame of a passthrough encode, and the MP4's edit
  // list would end where that frame starts, hiding it.
  // The writer's fsync runs alongside this change, so the patched file is synced again.
  // Only that encoder needs it: ffmpeg 5 and later give the last packet its duration.
  const beforeCommit = isLegacyEncoder(tools)
    ? async (temp: string) => {
        await setLastVideoFrameDuration(temp, frameSec);
        await syncFile(temp);
      }
    : undefined;
  return deriveFile(tools, args, out, opts, PROXY_TIMEOUT_MS, onStdoutLine, beforeCommit);
}

/** Runs one derivation through the shared temp/fsync/rename writer; 1 is reported once the file is in place. */
async function deriveFile(
  tools: MediaTools,
  args: string[],
  out: string,
  opts: DeriveOptions,
  timeoutMs: number,
  onStdoutLine?: (line: string) => void,
  beforeCommit?: (temp: string) => Promise<void>,
): Promise<DerivedMedia> {
  const made = await runFfmpegToFile(tools, args, out, {
    ...{ signal: opts.signal, log: opts.log, timeoutMs },
    ...{ onStdoutLine, beforeCommit },
  });
  opts.onProgress?.(1);
  return made;
}

/** The video's duration, or 0 for stills and audio (nothing to seek in). */
async function readDuration(tools: MediaTools, src: string, opts: DeriveOptions): Promise<number> {
  if (opts.durationSec !== undefined && opts.durationSec > 0) return opts.durationSec;
  return (await readVideoTiming(tools, src, opts)).durationSec;
}

/** The video's duration (0 for stills and audio) and how long one of its frames is shown. */
async function readVideoTiming(
  tools: MediaTools,
  src: string,
  opts: DeriveOptions,
): Promise<{ durationSec: number; frameSec: number }> {
  const facts = parseFfprobe(await runFfprobe(tools, src, opts.signal, opts.log));
  const frameSec = facts.frameRate && facts.frameRate > 0 ? 1 / facts.frameRate : DEFAULT_FRAME_SEC;
  if (opts.durationSec !== undefined && opts.durationSec > 0) return { durationSec: opts.durationSec, frameSec };
  // Still images probe as one-frame "videos" (image2, png_pipe, …): there is nothing to seek to.
  const isStill = /^image2$|_pipe$/.test(facts.container ?? '');
  return { durationSec: facts.hasVideo && !isStill ? (facts.durationSec ?? 0) : 0, frameSec };
}

/** A frame's duration when the source does not say (a still looped into a video): 25 fps. */
const DEFAULT_FRAME_SEC = 0.04;

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
