import { open } from 'node:fs/promises';
import { readMp4VideoPackets, type Mp4VideoTrackPackets } from '../probe/mp4VideoPackets';
import { ticksToSec, type SourceInfo, type StreamInfo, type VideoPacket } from '../probe/packets';
import type { ClipRequest, PacketList } from './clipPlan';

/**
 * The packet list a clip is planned on, read in-process from an MP4 or QuickTime recording's
 * sample table: the same packets ffprobe lists, without starting ffprobe and reading every packet
 * of the range (ffprobe reads ~60 MB of a 60 s 1080p range for a list of timestamps).
 *
 * The planner falls back to ffprobe whenever the answer could differ from ffprobe's:
 * - the sample table is of a structure `mp4VideoPackets` does not reproduce;
 * - the range reaches the recording's last frame (how long that frame lasts is ffmpeg's estimate
 *   from the codec, not the file's);
 * - an H.264 clip would start on a sample the container calls a sync sample but that holds no
 *   IDR picture (ffprobe's keyframes come from the H.264 parser, which would not call it one).
 * Either way the cut clip is measured against its plan before it is kept.
 */

export interface SampleTablePackets {
  /** The packets around `request`, widened by `marginSec`; null when they reach the recording's end. */
  window(request: ClipRequest, marginSec: number): PacketList | null;
  /** Whether the picture a plan of `request` on `list` starts decoding at is one ffprobe calls a keyframe too. */
  startsOnKeyframe(list: PacketList, request: ClipRequest): Promise<boolean>;
}

const EPSILON_SEC = 1e-6;

/** MP4, QuickTime and their kin: what ffmpeg's `mov` demuxer reads. */
export function isIsoMedia(source: SourceInfo): boolean {
  return source.formatName.split(',').includes('mov');
}
/** An IDR picture is found in a sample's first NAL units; a sample with more is not walked further. */
const MAX_NALS_PER_SAMPLE = 64;
const H264_IDR = 5;

/** The recording's packets from its sample table, or the reason ffprobe must list them. */
export async function readSampleTablePackets(
  src: string,
  source: SourceInfo,
  video: StreamInfo,
): Promise<SampleTablePackets | { fallback: string }> {
  if (!isIsoMedia(source)) return { fallback: 'not an ISO media file' };
  const track = await readMp4VideoPackets(src, { index: video.index, timeBase: video.timeBase });
  if (!track.supported) return { fallback: track.reason };
  const media = (ticks: number) => ticksToSec(ticks, video.timeBase) - source.startSec;
  const offsets = new Map<VideoPacket, number>();
  return {
    window(request, marginSec) {
      const end = firstAfter(track, media, request.toSec + marginSec);
      if (end >= track.count) return null;
      const start = keyframeAtOrBefore(track, firstAfter(track, media, request.fromSec - marginSec) - 1);
      const list: VideoPacket[] = [];
      for (let i = start; i < end; i++) {
        const packet = track.packetAt(i);
        if (!packet) break;
        offsets.set(packet, i);
        list.push(packet);
      }
      return { packets: list, startsAtBeginning: start === 0, reachesEnd: false };
    },
    async startsOnKeyframe(list, request) {
      if (!track.format.startsWith('avc')) return true;
      const first = startPacket(list.packets, media, request.fromSec);
      const index = first ? offsets.get(first) : undefined;
      return index !== undefined && holdsIdr(src, track, index);
    },
  };
}

/** The index of the first packet (decode order) decoded after `sec`; `packets.length` when none is. */
function firstAfter(track: Mp4VideoTrackPackets, media: (ticks: number) => number, sec: number): number {
  let lo = 0;
  let hi = track.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    // MP4 decode times only grow, so the list is sorted by them.
    if (media(track.dtsAt(mid)) > sec) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The last keyframe at or before index `i` (0 when there is none): where ffprobe's seek would land. */
function keyframeAtOrBefore(track: Mp4VideoTrackPackets, i: number): number {
  for (let k = Math.min(i, track.count - 1); k > 0; k--) if (track.packetAt(k)?.isKeyframe) return k;
  return 0;
}

/** The packet `computeClipPlan` starts decoding at (the same rule), or null when there is none. */
function startPacket(list: VideoPacket[], media: (ticks: number) => number, fromSec: number): VideoPacket | null {
  let found: VideoPacket | null = null;
  for (const p of list) if (p.isKeyframe && p.pts !== null && media(p.pts) <= fromSec + EPSILON_SEC) found = p;
  return found ?? list.find((p) => p.isKeyframe) ?? null;
}

/** Whether packet `i`'s sample holds an IDR slice (NAL unit type 5), reading its NAL headers. */
async function holdsIdr(src: string, track: Mp4VideoTrackPackets, i: number): Promise<boolean> {
  const sample = track.sampleAt(i);
  const lengthSize = track.avcC && track.avcC.length > 4 ? ((track.avcC[4] ?? 0) & 3) + 1 : null;
  if (!sample || lengthSize === null || lengthSize === 3) return false;
  const handle = await open(src, 'r');
  try {
    const bytes = Buffer.alloc(sample.size);
    const { bytesRead } = await handle.read(bytes, 0, sample.size, sample.pos);
    for (let at = 0, n = 0; n < MAX_NALS_PER_SAMPLE && at + lengthSize < bytesRead; n++) {
      const length = bytes.readUIntBE(at, lengthSize);
      if (length === 0 || at + lengthSize + length > bytesRead) return false;
      if (((bytes[at + lengthSize] ?? 0) & 0x1f) === H264_IDR) return true;
      at += lengthSize + length;
    }
    return false;
  } finally {
    await handle.close();
  }
}
