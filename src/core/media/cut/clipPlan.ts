import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { chooseClipContainer, type ClipContainer } from './clipContainer';
import { isIsoMedia, readSampleTablePackets } from './clipPlanFromSampleTable';
import {
  findMainVideo,
  probeWithPackets,
  readInterval,
  readVideoPackets,
  ticksToSec,
  type Rational,
  type SourceInfo,
  type StreamInfo,
  type VideoPacket,
} from '../probe/packets';

/**
 * What a clip of a range will really hold, computed from the recording's packet list before
 * anything is cut, so the UI can show the true range while the reviewer moves the in and out
 * points. Times are media times in seconds; out points are exclusive.
 *
 * Lossless: the clip starts on the keyframe at or before the in point and is the longest run of
 * packets in decode order, from that keyframe, that holds only frames shown before the out point
 * and leaves no hole in display order (with B-frames a frame shown before the out point can be
 * decoded after one shown at or past it; such frames are left out, and the end says so).
 * Exact: every frame whose time is in [from, to), re-encoded.
 */

export type ClipMode = 'lossless' | 'exact';

export interface ClipRequest {
  fromSec: number;
  toSec: number;
  mode: ClipMode;
}

export type ClipRangeReason = 'noVideo' | 'outside' | 'empty' | 'invalid' | 'openGop' | 'untimed';

/**
 * The range cannot be cut: no video, starts past the end, holds no frame, or is backwards; or (for
 * a lossless clip) the keyframe it would start on is open; or some frames carry no time.
 */
export class ClipRangeError extends Error {
  constructor(
    readonly reason: ClipRangeReason,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Where `cutClip` cuts, in the source's own terms. Not for display. */
export interface ClipCutPoints {
  videoStreamIndex: number;
  timeBase: Rational;
  /** Media time ffmpeg seeks to: the keyframe (lossless) or the first frame (exact). */
  seekSec: number;
  /** pts of the clip's first frame in display order. */
  firstPts: number;
  /** pts of the first frame after the clip in display order; null when the clip runs to the end. */
  endPts: number | null;
  /**
   * Lossless: media time between the decode times of the clip's last packet and the next one;
   * ffmpeg's stream copy stops reading the video there. Null when the clip runs to the end.
   */
  videoStopSec: number | null;
  /** Exact: the pts step between the clip's frames when it is constant (null: variable frame rate). */
  frameStep: number | null;
  /** How long the clip's last frame is shown, in seconds (up to the next frame in the source). */
  lastFrameSec: number;
}

export interface ClipPlan {
  mode: ClipMode;
  requestedFromSec: number;
  requestedToSec: number;
  /** Media time of the first frame (lossless: the keyframe at or before the in point). */
  fromSec: number;
  /** Exclusive end: the media time just after the last frame. */
  toSec: number;
  frameCount: number;
  /** The keyframe at or before the in point, where decoding starts; null when there is none. */
  keyframeSec: number | null;
  frameRate: number | null;
  container: ClipContainer;
  /** With the dot, e.g. `.mp4`. */
  extension: string;
  source: SourceInfo;
  cut: ClipCutPoints;
}

export interface PlanOptions {
  signal?: AbortSignal;
  log?: Logger;
  /** The recording's streams when already known (`probeSource`): only packets are read then. */
  source?: SourceInfo;
}

/** Two times closer than this are the same instant (well below any frame interval). */
const EPSILON_SEC = 1e-6;
/**
 * Read this much before the in point and after the out point first: ffprobe starts at a keyframe
 * anyway, and B-frame reordering is far shorter. A list that turns out too short is read again,
 * four times wider each time.
 */
const FIRST_MARGIN_SEC = 0.5;

/**
 * Plans a clip of `src`. Cheap: with the streams known, an MP4 or QuickTime recording is planned
 * on its sample table, read in-process (`clipPlanFromSampleTable`); otherwise one ffprobe of the
 * streams and one of the packets around the range (widened only when the keyframe before the in
 * point lies further back). Throws `ClipRangeError`, or a `ProcessError` when ffprobe cannot read
 * the file.
 */
export async function planClip(
  tools: MediaTools,
  src: string,
  request: ClipRequest,
  opts: PlanOptions = {},
): Promise<ClipPlan> {
  if (!(request.toSec > request.fromSec) || request.fromSec < 0)
    throw new ClipRangeError(
      'invalid',
      `the out point (${request.toSec}) must come after the in point (${request.fromSec})`,
    );
  // First look: streams and packets in one ffprobe run, on the file's own clock, as the start of
  // the container is not known yet; read again in media time only when it is far from 0.
  const around = windowAround(request, FIRST_MARGIN_SEC);
  const first = opts.source
    ? null
    : await probeWithPackets(tools, src, [readInterval(around.fromSec, around.toSec)], opts);
  const source = opts.source ?? first?.source;
  if (!source) throw new Error('no stream facts for the recording');
  const video = findMainVideo(source);
  if (!video) throw new ClipRangeError('noVideo', 'the recording has no video stream');
  if (opts.source) {
    const planned = await planOnSampleTable(src, source, video, request);
    if (planned.plan) return planned.plan;
    if (isIsoMedia(source)) opts.log?.info('clip plan: asking ffprobe', { reason: planned.fallback });
  }
  const firstFits = first !== null && Math.abs(source.startSec) <= FIRST_MARGIN_SEC / 2;
  for (let margin = FIRST_MARGIN_SEC; ; margin *= 4) {
    const window = windowAround(request, margin);
    const packets =
      margin === FIRST_MARGIN_SEC && firstFits
        ? (first?.packets.get(video.index) ?? [])
        : await readVideoPackets(tools, src, source, video.index, window, opts);
    const end = source.durationSec;
    const list = {
      packets,
      startsAtBeginning: window.fromSec === null,
      reachesEnd: end === null || window.toSec - source.startSec >= end,
    };
    const plan = computeClipPlan(source, video, list, request);
    if (plan) return plan;
  }
}

async function planOnSampleTable(
  src: string,
  source: SourceInfo,
  video: StreamInfo,
  request: ClipRequest,
): Promise<{ plan: ClipPlan; fallback?: undefined } | { plan?: undefined; fallback: string }> {
  const table = await readSampleTablePackets(src, source, video);
  if ('fallback' in table) return table;
  for (let margin = FIRST_MARGIN_SEC; ; margin *= 4) {
    const list = table.window(request, margin);
    if (!list) return { fallback: 'the range reaches the last frame' };
    // Checked first: a plan on a sync sample ffprobe does not call a keyframe could be refused
    // (as an open GOP) where ffprobe's would start on the IDR picture before it.
    const differs = await table.startDiffers(list, request);
    if (differs !== null) return { fallback: differs };
    const plan = computeClipPlan(source, video, list, request);
    if (plan) return { plan };
  }
}

function windowAround(request: ClipRequest, margin: number): { fromSec: number | null; toSec: number } {
  return { fromSec: request.fromSec - margin > 0 ? request.fromSec - margin : null, toSec: request.toSec + margin };
}

export interface PacketList {
  /** Decode order. */
  packets: VideoPacket[];
  /** Whether the list starts at the first packet of the file (nothing earlier to look for). */
  startsAtBeginning: boolean;
  /** Whether the list runs to the file's last packet. */
  reachesEnd: boolean;
}

interface Frame {
  pts: number;
  /** Position in decode order. */
  order: number;
  packet: VideoPacket;
}

/**
 * The plan for `request` from a packet list, or null when the list is too short: it starts after
 * the keyframe before the in point, or ends before the first packet past the out point (read a
 * wider window and call again). Pure.
 */
export function computeClipPlan(
  source: SourceInfo,
  video: StreamInfo,
  list: PacketList,
  request: ClipRequest,
): ClipPlan | null {
  const tb = video.timeBase;
  const media = (pts: number) => ticksToSec(pts, tb) - source.startSec;
  assertEveryFrameTimed(list.packets);
  const frames: Frame[] = list.packets.flatMap((packet, order) =>
    packet.pts === null ? [] : [{ pts: packet.pts, order, packet }],
  );
  const shown = [...frames].sort((a, b) => a.pts - b.pts);
  const durationOf = frameDurations(shown, video);
  const last = shown.at(-1);
  // A window can hold no video packet at all (another stream's packet ended ffprobe's read).
  if (!last && !list.reachesEnd) return null;
  if (!last) throw new ClipRangeError('empty', 'no video frames were found in the recording');
  const recordingEnd = media(last.pts) + durationOf(last);
  if (list.reachesEnd && request.fromSec >= recordingEnd - EPSILON_SEC)
    throw new ClipRangeError(
      'outside',
      `the in point ${request.fromSec} s is past the end (${round6(recordingEnd)} s)`,
    );

  const keyframes = frames.filter((f) => f.packet.isKeyframe && media(f.pts) <= request.fromSec + EPSILON_SEC);
  const keyframe = keyframes.at(-1);
  if (!keyframe && !list.startsAtBeginning) return null;
  const decodeFrom = keyframe ?? frames.find((f) => f.packet.isKeyframe);
  const spec = chooseClipContainer(source, request.mode);
  const common = {
    mode: request.mode,
    requestedFromSec: request.fromSec,
    requestedToSec: request.toSec,
    keyframeSec: decodeFrom ? round6(media(decodeFrom.pts)) : null,
    frameRate: video.frameRate ?? null,
    container: spec.container,
    extension: spec.extension,
    source,
  };

  if (request.mode === 'exact') {
    const inRange = shown.filter(
      (f) => media(f.pts) >= request.fromSec - EPSILON_SEC && media(f.pts) < request.toSec - EPSILON_SEC,
    );
    const first = inRange[0];
    const lastIn = inRange.at(-1);
    const after = lastIn ? shown[shown.indexOf(lastIn) + 1] : shown.find((f) => media(f.pts) >= request.toSec);
    if (!holdsAllShownBy(list, after)) return null;
    if (!first || !lastIn) throw new ClipRangeError('empty', 'no frame starts inside the range');
    return {
      ...common,
      fromSec: round6(media(first.pts)),
      toSec: round6(after ? media(after.pts) : media(lastIn.pts) + durationOf(lastIn)),
      frameCount: inRange.length,
      cut: {
        videoStreamIndex: video.index,
        timeBase: tb,
        seekSec: round6(media(first.pts)),
        firstPts: first.pts,
        endPts: after?.pts ?? null,
        videoStopSec: null,
        frameStep: constantStep(
          inRange.map((f) => f.pts),
          after?.pts ?? null,
        ),
        lastFrameSec: durationOf(lastIn),
      },
    };
  }

  if (!decodeFrom) throw new ClipRangeError('empty', 'the recording has no keyframe to start a lossless clip on');
  const start = decodeFrom.order;
  // The decode-order run from the keyframe up to the first packet shown at or after the out point.
  let stop = list.packets.findIndex(
    (p, i) => i >= start && p.pts !== null && media(p.pts) >= request.toSec - EPSILON_SEC,
  );
  if (stop < 0) {
    if (!list.reachesEnd) return null;
    stop = list.packets.length;
  }
  const count = longestGaplessPrefix(list.packets, start, stop);
  const prefix = frames.filter((f) => f.order >= start && f.order < start + count);
  const firstShown = minBy(prefix, (f) => f.pts);
  const lastShown = minBy(prefix, (f) => -f.pts);
  if (!firstShown || !lastShown) throw new ClipRangeError('empty', 'the range holds no whole frame');
  // Open GOP: pictures decoded after the keyframe but shown before it refer to the group before.
  // Copied, they would decode broken; hidden behind an edit list, they would be frames kept out of
  // sight. Neither is a lossless clip.
  if (firstShown.pts < decodeFrom.pts)
    throw new ClipRangeError(
      'openGop',
      `the keyframe at ${round6(media(decodeFrom.pts))} s is open: ${prefix.filter((f) => f.pts < decodeFrom.pts).length} frames after it are shown before it`,
    );
  const clipEnd = media(lastShown.pts) + durationOf(lastShown);
  if (clipEnd <= request.fromSec + EPSILON_SEC)
    throw new ClipRangeError('outside', `the in point ${request.fromSec} s is past the last frame`);
  const next = list.packets[start + count];
  const after = shown.find((f) => f.pts > lastShown.pts);
  if (!holdsAllShownBy(list, after)) return null;
  return {
    ...common,
    fromSec: round6(media(firstShown.pts)),
    toSec: round6(clipEnd),
    frameCount: prefix.length,
    cut: {
      videoStreamIndex: video.index,
      timeBase: tb,
      seekSec: round6(media(decodeFrom.pts)),
      firstPts: firstShown.pts,
      endPts: after?.pts ?? null,
      videoStopSec: next
        ? round6(stopBetween(list.packets, start + count, tb, durationOf(lastShown)) - source.startSec)
        : null,
      frameStep: null,
      lastFrameSec: durationOf(lastShown),
    },
  };
}

/**
 * Whether `list` holds every frame shown before `after` (the frame after the clip), so that
 * `after` really is the next frame: a frame is decoded before it is shown, so a packet decoded at
 * or after `after`'s time proves it. ffprobe's list of a window stops at the first packet shown
 * past the window, and frames decoded after that one are missing: at a low frame rate, or when
 * another stream's packet ended the read, the frame after the clip (or one inside it) could be
 * missing, and the plan would end the clip wrongly or call it the end of the recording. Lists
 * without decode times (Matroska) cannot prove it and are taken as they are.
 */
function holdsAllShownBy(list: PacketList, after: Frame | undefined): boolean {
  if (list.reachesEnd) return true;
  if (!after) return false;
  const decoded = list.packets.filter((p) => p.dts !== null);
  return decoded.length === 0 || decoded.some((p) => (p.dts ?? 0) >= after.pts);
}

/** The common difference of `pts` (and the next frame after them), or null when they are not evenly spaced. */
function constantStep(pts: number[], next: number | null): number | null {
  const all = next === null ? pts : [...pts, next];
  const first = all[0];
  const second = all[1];
  if (first === undefined || second === undefined) return null;
  const step = second - first;
  return step > 0 && all.every((p, i) => p === first + i * step) ? step : null;
}

/**
 * How many packets from `start` (at most `stop - start`) can be kept so that no packet left out
 * is shown between two kept ones: the kept frames then play without a hole.
 */
function longestGaplessPrefix(packets: VideoPacket[], start: number, stop: number): number {
  // suffixMin[i]: the smallest pts from i to the end of the list.
  const suffixMin = new Array<number>(packets.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let i = packets.length - 1; i >= start; i--)
    suffixMin[i] = Math.min(packets[i]?.pts ?? Number.POSITIVE_INFINITY, suffixMin[i + 1] ?? Number.POSITIVE_INFINITY);
  let best = 0;
  let maxPts = Number.NEGATIVE_INFINITY;
  for (let i = start; i < stop; i++) {
    maxPts = Math.max(maxPts, packets[i]?.pts ?? Number.NEGATIVE_INFINITY);
    if (maxPts < (suffixMin[i + 1] ?? Number.POSITIVE_INFINITY)) best = i + 1 - start;
  }
  return best;
}

/**
 * A decode time (in seconds on the source's own clock) after the packet before `next` and not
 * after packet `next`: where ffmpeg's stream copy, which stops by decode time, must stop.
 * Containers that store no decode times (Matroska) leave gaps that are filled from neighbours.
 */
function stopBetween(packets: VideoPacket[], next: number, tb: Rational, frameSec: number): number {
  const after = estimateDts(packets, next, tb, frameSec);
  const before = estimateDts(packets, next - 1, tb, frameSec);
  return before < after ? (before + after) / 2 : after - frameSec / 2;
}

function estimateDts(packets: VideoPacket[], i: number, tb: Rational, frameSec: number): number {
  const own = packets[i]?.dts;
  if (own !== null && own !== undefined) return ticksToSec(own, tb);
  for (let d = 1; d < packets.length; d++) {
    const back = packets[i - d]?.dts;
    if (back !== null && back !== undefined) return ticksToSec(back, tb) + d * frameSec;
    const ahead = packets[i + d]?.dts;
    if (ahead !== null && ahead !== undefined) return ticksToSec(ahead, tb) - d * frameSec;
  }
  // No decode times at all: nothing is reordered, so decode order is display order.
  return ticksToSec(packets[i]?.pts ?? 0, tb);
}

/** Each frame's duration in seconds: up to the next frame shown, else its packet's, else 1/frame rate. */
function frameDurations(shown: Frame[], video: StreamInfo): (frame: Frame) => number {
  const next = new Map<Frame, Frame>();
  shown.forEach((f, i) => {
    const n = shown[i + 1];
    if (n) next.set(f, n);
  });
  const fallback = video.frameRate ? 1 / video.frameRate : 0;
  return (frame) => {
    const n = next.get(frame);
    if (n) return ticksToSec(n.pts - frame.pts, video.timeBase);
    if (frame.packet.duration) return ticksToSec(frame.packet.duration, video.timeBase);
    return fallback;
  };
}

function minBy<T>(items: T[], key: (item: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || key(item) < key(best)) best = item;
  return best;
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * Frames are placed by their presentation times. Some containers leave them out on some packets
 * (an MPEG program stream from a DVR times only the packets that start a PES); which frame such a
 * packet shows is then only a guess of the demuxer's, so nothing is cut or taken from it.
 */
export function assertEveryFrameTimed(packets: readonly { pts: number | null }[]): void {
  const untimed = packets.filter((p) => p.pts === null).length;
  if (untimed > 0) throw new ClipRangeError('untimed', `${untimed} of ${packets.length} video packets carry no time`);
}
