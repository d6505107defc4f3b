import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { assertEveryFrameTimed, ClipRangeError } from './clipPlan';
import { formatSecondsForFfmpeg as sec, runFfmpegToFile, type FfmpegFile } from '../tools/ffmpegFile';
import { decodeSeekSec, hasNoIndex } from './inputSeek';
import { findMainVideo, probeSource, readVideoPackets, ticksToSec, type SourceInfo } from '../probe/packets';

/**
 * A still: the frame on screen at a media time, as a lossless PNG at the stored resolution, turned
 * upright as the player shows it (ffmpeg applies the display rotation; non-square pixels are kept
 * as stored). "On screen at t" is the last frame whose time is at or before t, so a still taken
 * while paused between two frame times is the frame the reviewer sees.
 */

export interface StillRequest {
  atSec: number;
}

export interface StillOptions {
  signal?: AbortSignal;
  log?: Logger;
  /** The recording's streams when already known (`probeSource`). */
  source?: SourceInfo;
}

export interface StillResult extends FfmpegFile {
  /** Media time of the frame taken. */
  frameSec: number;
  width: number;
  height: number;
  /** The PNG's pixel format (`rgb24`, or `rgb48be` for deeper sources). */
  pixelFormat: string;
}

const STILL_TIMEOUT_MS = 2 * 60 * 1000;
const EPSILON_SEC = 1e-6;
const FIRST_MARGIN_SEC = 3;

/** Throws `ClipRangeError` ('noVideo', 'outside') or a `ProcessError`. */
export async function makeStill(
  tools: MediaTools,
  src: string,
  out: string,
  request: StillRequest,
  opts: StillOptions = {},
): Promise<StillResult> {
  const source = opts.source ?? (await probeSource(tools, src, opts));
  const video = findMainVideo(source);
  if (!video) throw new ClipRangeError('noVideo', 'the recording has no video stream');
  const media = (pts: number) => ticksToSec(pts, video.timeBase) - source.startSec;

  let chosen: number | null = null;
  let keyframeSec: number | null = null;
  for (let margin = FIRST_MARGIN_SEC; chosen === null; margin *= 4) {
    const fromSec = request.atSec - margin > 0 ? request.atSec - margin : null;
    const packets = await readVideoPackets(
      tools,
      src,
      source,
      video.index,
      { fromSec, toSec: request.atSec + 1 },
      opts,
    );
    assertEveryFrameTimed(packets);
    const times = packets.flatMap((p) => (p.pts === null ? [] : [p.pts])).sort((a, b) => a - b);
    const last = times.at(-1);
    if (last === undefined) throw new ClipRangeError('outside', `no frame at ${request.atSec} s`);
    const lastEnd = media(last) + (times.length > 1 ? media(last) - media(times.at(-2) ?? last) : 0);
    if (request.atSec >= lastEnd - EPSILON_SEC && !times.some((t) => media(t) > request.atSec))
      throw new ClipRangeError('outside', `${request.atSec} s is past the last frame`);
    const onScreen = times.filter((t) => media(t) <= request.atSec + EPSILON_SEC).at(-1);
    // Before the first frame nothing is on screen yet; the first frame is what appears.
    const frame = onScreen ?? (fromSec === null ? times[0] : undefined);
    const keyframe = packets
      .flatMap((p) => (p.isKeyframe && p.pts !== null && frame !== undefined && p.pts <= frame ? [p.pts] : []))
      .sort((a, b) => a - b)
      .at(-1);
    // Without an index the decoding start must be known too: read further back until it is.
    if (frame !== undefined && (keyframe !== undefined || fromSec === null || !hasNoIndex(source.formatName))) {
      chosen = frame;
      keyframeSec = keyframe !== undefined ? media(keyframe) : null;
    }
  }

  // Source timestamps kept (`-copyts`): the trim keeps exactly the frame with that integer pts.
  const seekSec = decodeSeekSec(source.formatName, media(chosen), keyframeSec);
  const args = [
    ...['-noaccurate_seek', '-ss', sec(seekSec), '-i', src, '-copyts'],
    ...['-map', `0:${video.index}`, '-vf', `trim=start_pts=${chosen}:end_pts=${chosen + 1}`],
    ...['-frames:v', '1', '-c:v', 'png', '-f', 'image2', '-update', '1'],
  ];
  let facts: { width: number; height: number; pixelFormat: string } | undefined;
  const made = await runFfmpegToFile(tools, args, out, {
    signal: opts.signal,
    log: opts.log,
    timeoutMs: STILL_TIMEOUT_MS,
    beforeCommit: async (temp) => {
      const png = findMainVideo(await probeSource(tools, temp, opts));
      if (!png?.width || !png.height) throw new Error('the still is not a picture');
      facts = { width: png.width, height: png.height, pixelFormat: png.pixelFormat ?? 'unknown' };
    },
  });
  if (!facts) throw new Error('the still was not measured');
  return { ...made, frameSec: Math.round(media(chosen) * 1e6) / 1e6, ...facts };
}
