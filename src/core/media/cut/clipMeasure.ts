import type { MediaTools } from '../tools/binaries';
import type { ClipPlan } from './clipPlan';
import {
  findMainVideo,
  probeWithPackets,
  readInterval,
  ticksToSec,
  type ProbeOptions,
  type SourceInfo,
  type StreamInfo,
} from '../probe/packets';

/**
 * What a cut clip really holds, read back from the file (never assumed from the command): frames,
 * their times, the first frame's kind, and whether anything is hidden (discard-flagged packets).
 * Times in the source are the clip's times plus the offset the cut applied (the plan's seek point).
 *
 * MP4 and QuickTime clips are read at their two ends only: the sample table counts the frames, and
 * an edit list can hide frames only at the start or the end. Other containers are read whole.
 */

export interface ClipMeasurement {
  /** Media time in the source of the clip's first frame. */
  fromSec: number;
  /** Exclusive end in the source's media time. */
  toSec: number;
  durationSec: number;
  frameCount: number;
  firstFrameIsKeyframe: boolean;
  /** The first frame's timestamp in the clip (pts × time base); 0 when nothing shifts it. */
  startPtsSec: number;
  /** Packets an edit list hides from playback; 0 in every clip the station makes. */
  discardedPackets: number;
  /**
   * True when neither the last packet nor the video stream says when the clip ends: the end is
   * then the last frame's time plus the clip's median frame interval.
   */
  endEstimated: boolean;
}

export interface ClipProbe {
  output: SourceInfo;
  measured: ClipMeasurement;
  /** ffprobe's JSON of the clip (format, streams, the packets read): what a plain probe of it would say, and more. */
  json: unknown;
}

/** Seconds read at each end of an MP4 clip: past the deepest reordering, and short of a whole GOP read. */
const EDGE_SEC = 1;

/** Reads `file` (a clip cut with `plan`) and measures it. */
export async function measureClip(
  tools: MediaTools,
  file: string,
  plan: ClipPlan,
  opts: ProbeOptions = {},
): Promise<ClipProbe> {
  const duration = plan.toSec - plan.fromSec;
  const iso = (plan.container === 'mp4' || plan.container === 'mov') && duration > 2 * EDGE_SEC;
  const edges = [readInterval(null, EDGE_SEC), readInterval(duration - EDGE_SEC, null)];
  const probed = await probeWithPackets(tools, file, iso ? edges : null, opts);
  const output = probed.source;
  const video = findMainVideo(output);
  if (!video) throw new Error('the clip has no video stream');
  // The two ends overlap when one GOP spans the clip: each packet counts once.
  const seen = new Set<string>();
  const packets = (probed.packets.get(video.index) ?? []).filter((p) => {
    const key = `${p.pts}/${p.dts}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
  if (iso && video.packetCount === undefined) throw new Error('the clip has no sample count');
  const shown = packets.filter((p) => p.pts !== null).sort((a, b) => (a.pts ?? 0) - (b.pts ?? 0));
  const first = shown[0];
  const last = shown.at(-1);
  if (!first || !last || first.pts === null || last.pts === null) throw new Error('the clip has no video frames');
  const tb = video.timeBase;
  const media = (pts: number) => ticksToSec(pts, tb) - output.startSec;
  const startInClip = media(first.pts);
  // The end: the last packet's own duration, else the stream's (MP4: its edit), else an estimate.
  const streamEnd =
    video.startSec !== undefined && video.durationSec !== undefined
      ? video.startSec - output.startSec + video.durationSec
      : null;
  const endEstimated = !last.duration && streamEnd === null;
  const end = last.duration
    ? media(last.pts) + ticksToSec(last.duration, tb)
    : (streamEnd ?? media(last.pts) + medianInterval(shown, video));
  const durationSec = end - startInClip;
  // Both kinds of cut move the source's seek point (keyframe, or first frame) to the clip's 0.
  const fromSec = plan.cut.seekSec + startInClip;
  return {
    output,
    json: probed.json,
    measured: {
      fromSec: round6(fromSec),
      toSec: round6(fromSec + durationSec),
      durationSec: round6(durationSec),
      frameCount: (iso ? (video.packetCount ?? 0) : packets.length) - packets.filter((p) => p.isDiscarded).length,
      firstFrameIsKeyframe: first.isKeyframe,
      startPtsSec: round6(ticksToSec(first.pts, tb)),
      discardedPackets: packets.filter((p) => p.isDiscarded).length,
      endEstimated,
    },
  };
}

/** The clip's streams matched to the source streams the cut mapped, in order; unmatched ones were not written. */
export function matchStreams(
  source: SourceInfo,
  mapped: readonly number[],
  output: SourceInfo,
): { kept: StreamInfo[]; notWritten: number[] } {
  const remaining = [...output.streams];
  const notWritten: number[] = [];
  for (const index of mapped) {
    const wanted = source.streams.find((s) => s.index === index);
    const at = remaining.findIndex((s) => s.type === wanted?.type);
    if (at < 0) notWritten.push(index);
    else remaining.splice(at, 1);
  }
  return { kept: output.streams, notWritten };
}

function medianInterval(shown: readonly { pts: number | null }[], video: StreamInfo): number {
  const gaps = shown.slice(1).map((p, i) => (p.pts ?? 0) - (shown[i]?.pts ?? 0));
  const sorted = gaps.filter((g) => g > 0).sort((a, b) => a - b);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (middle !== undefined) return ticksToSec(middle, video.timeBase);
  return video.frameRate ? 1 / video.frameRate : 0;
}

function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
