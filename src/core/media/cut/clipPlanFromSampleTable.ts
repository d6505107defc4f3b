import { open, stat, type FileHandle } from 'node:fs/promises';
import { readMp4VideoPackets, type Mp4VideoPackets, type Mp4VideoTrackPackets } from '../probe/mp4VideoPackets';
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
 *   IDR picture, or a picture between that sample and the in point might be one the H.264 parser
 *   calls a keyframe (ffprobe's H.264 keyframes come from the parser, not from the sync sample
 *   table: an IDR picture or a recovery point the table leaves out, or an I picture of a stream
 *   with one reference frame, is a keyframe to ffprobe).
 * Either way the cut clip is measured against its plan before it is kept.
 */

export interface SampleTablePackets {
  /** The packets around `request`, widened by `marginSec`; null when they reach the recording's end. */
  window(request: ClipRequest, marginSec: number): PacketList | null;
  /**
   * Null when ffprobe's packets would start a plan of `request` on `list` at the same picture;
   * else why they might not (the reason to ask ffprobe).
   */
  startDiffers(list: PacketList, request: ClipRequest): Promise<string | null>;
}

const EPSILON_SEC = 1e-6;

/** MP4, QuickTime and their kin: what ffmpeg's `mov` demuxer reads. */
export function isIsoMedia(source: SourceInfo): boolean {
  return source.formatName.split(',').includes('mov');
}
/** An IDR picture is found in a sample's first NAL units; a sample with more is not walked further. */
const MAX_NALS_PER_SAMPLE = 64;
/**
 * What is read of a sample to find its first slice: the parser stops there, and what comes before
 * it (delimiter, parameter sets, SEI) is small. Read in a first short piece, then once more at most.
 */
const FIRST_READ_BYTES = 4096;
const MAX_HEADER_BYTES = 64 * 1024;
const H264_SLICE = 1;
const H264_IDR = 5;
const H264_SEI = 6;
const SEI_RECOVERY_POINT = 6;

/** Sample tables kept: the clip panel plans the same recording on every move of an in or out point. */
const KEPT_TABLES = 2;
const kept = new Map<string, { identity: string; read: Promise<Mp4VideoPackets> }>();

/**
 * The track's packets, read once while the file stays the same one (same inode, size and times: a
 * stored original never changes, a file replaced under the same name is read again). Reading the
 * table of a 12-hour recording (1.3 million samples) takes about half a second.
 */
async function readTrackKept(src: string, video: StreamInfo): Promise<Mp4VideoPackets> {
  const info = await stat(src).catch(() => null);
  if (!info) return { supported: false, reason: 'the file cannot be read' };
  const key = `${video.index}:${video.timeBase.num}/${video.timeBase.den}:${src}`;
  const identity = `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  const hit = kept.get(key);
  if (hit && hit.identity === identity) {
    kept.delete(key);
    kept.set(key, hit);
    return hit.read;
  }
  const read = readMp4VideoPackets(src, { index: video.index, timeBase: video.timeBase });
  kept.delete(key);
  kept.set(key, { identity, read });
  for (const oldest of kept.keys()) {
    if (kept.size <= KEPT_TABLES) break;
    kept.delete(oldest);
  }
  return read;
}

/** The recording's packets from its sample table, or the reason ffprobe must list them. */
export async function readSampleTablePackets(
  src: string,
  source: SourceInfo,
  video: StreamInfo,
): Promise<SampleTablePackets | { fallback: string }> {
  if (!isIsoMedia(source)) return { fallback: 'not an ISO media file' };
  const track = await readTrackKept(src, video);
  if (!track.supported) return { fallback: track.reason };
  const media = (ticks: number) => ticksToSec(ticks, video.timeBase) - source.startSec;
  const offsets = new Map<VideoPacket, number>();
  return {
    window(request, marginSec) {
      const start = keyframeAtOrBefore(track, firstAfter(track, media, request.fromSec - marginSec) - 1);
      // Every frame shown by `until` is in the list (a frame is decoded before it is shown), but
      // one shown later may be missing while a frame decoded before it is there: the frame after
      // the clip, and so where the clip ends, is known only once a frame shown at or after the
      // out point is in the list and shown by `until` (a low frame rate, or a gap, needs more).
      for (let until = request.toSec + marginSec; ; until += 4 * marginSec) {
        const end = firstAfter(track, media, until);
        if (end >= track.count) return null;
        const list: VideoPacket[] = [];
        for (let i = start; i < end; i++) {
          const packet = track.packetAt(i);
          if (!packet) break;
          list.push(packet);
        }
        const shown = (p: VideoPacket) => p.pts !== null && media(p.pts) <= until;
        if (!list.some((p) => shown(p) && media(p.pts ?? 0) >= request.toSec - EPSILON_SEC)) continue;
        list.forEach((p, i) => offsets.set(p, start + i));
        return { packets: list, startsAtBeginning: start === 0, reachesEnd: false };
      }
    },
    async startDiffers(list, request) {
      // HEVC keyframes are the container's: ffmpeg runs no parser on them.
      if (!track.format.startsWith('avc')) return null;
      const first = startPacket(list.packets, media, request.fromSec);
      const at = first ? list.packets.indexOf(first) : -1;
      const index = first ? offsets.get(first) : undefined;
      if (!first || index === undefined) return 'no keyframe to start on';
      // computeClipPlan takes the last keyframe (decode order) shown by the in point, else the
      // first keyframe: a packet the parser calls a keyframe there would be taken instead.
      const shownBy = (p: VideoPacket) => p.pts !== null && media(p.pts) <= request.fromSec + EPSILON_SEC;
      const others = list.packets.filter((p, i) => (i > at && shownBy(p)) || (i < at && !shownBy(first)));
      const lengthSize = nalLengthSize(track);
      if (lengthSize === null) return 'an avcC without a usable NAL length size';
      let handle: FileHandle | undefined;
      try {
        handle = await open(src, 'r');
        if ((await parserView(handle, track, index, lengthSize)) !== 'idr')
          return 'the keyframe to start on holds no IDR picture';
        for (const p of others) {
          const i = offsets.get(p);
          if (i === undefined || (await parserView(handle, track, i, lengthSize)) !== 'notKey')
            return 'a picture between the keyframe and the in point may be a keyframe to the H.264 parser';
        }
        return null;
      } catch (error) {
        return `unreadable: ${error instanceof Error ? error.message : String(error)}`;
      } finally {
        await handle?.close().catch(() => undefined);
      }
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

function nalLengthSize(track: Mp4VideoTrackPackets): number | null {
  // avcC: version (1, else the parser looks for start codes), profile, compatibility, level, then
  // 6 reserved bits and the size minus one.
  const size = track.avcC && track.avcC.length > 4 && track.avcC[0] === 1 ? ((track.avcC[4] ?? 0) & 3) + 1 : null;
  return size === 3 ? null : size;
}

type ParserView = 'idr' | 'notKey' | 'maybeKey';

/**
 * How ffmpeg's H.264 parser (`parse_nal_units`) would flag packet `i`, as far as can be told
 * without its parameter sets: `idr` when its first slice is an IDR slice; `notKey` when that slice
 * is a P or B slice and no SEI before it holds a recovery point; else `maybeKey` (an I slice is a
 * keyframe to the parser when the stream has one reference frame; anything unreadable is a maybe).
 */
async function parserView(
  handle: FileHandle,
  track: Mp4VideoTrackPackets,
  i: number,
  lengthSize: number,
): Promise<ParserView> {
  const sample = track.sampleAt(i);
  if (!sample) return 'maybeKey';
  let bytes = await readSome(handle, sample, FIRST_READ_BYTES);
  let view = viewOfSample(bytes, sample.size, lengthSize);
  if (view === 'more' && bytes.length < sample.size) {
    bytes = await readSome(handle, sample, MAX_HEADER_BYTES);
    view = viewOfSample(bytes, sample.size, lengthSize);
  }
  return view === 'more' ? 'maybeKey' : view;
}

async function readSome(handle: FileHandle, sample: { pos: number; size: number }, most: number): Promise<Buffer> {
  const bytes = Buffer.alloc(Math.min(sample.size, most));
  const { bytesRead } = await handle.read(bytes, 0, bytes.length, sample.pos);
  return bytes.subarray(0, bytesRead);
}

/** `bytes`: the first bytes of a sample of `size` bytes; `more` when they end before the answer. */
function viewOfSample(bytes: Buffer, size: number, lengthSize: number): ParserView | 'more' {
  let recoveryPoint = false;
  for (let at = 0, n = 0; n < MAX_NALS_PER_SAMPLE; n++) {
    if (at + lengthSize > bytes.length) return bytes.length < size ? 'more' : 'maybeKey';
    const length = bytes.readUIntBE(at, lengthSize);
    const start = at + lengthSize;
    // The parser gives up on a NAL unit that overruns its packet: no slice, no keyframe, but not
    // a case worth mirroring.
    if (length === 0 || start + length > size) return 'maybeKey';
    if (start >= bytes.length) return 'more';
    const type = (bytes[start] ?? 0) & 0x1f;
    if (type === H264_IDR) return 'idr';
    if (type === H264_SLICE) {
      const sliceType = sliceTypeOf(bytes.subarray(start + 1, Math.min(start + length, start + 33)));
      if (sliceType === null) return start + 33 > bytes.length && bytes.length < size ? 'more' : 'maybeKey';
      // 2: I (ff_h264_golomb_to_pict_type); the parser's heuristic makes it a keyframe with one reference.
      return recoveryPoint || sliceType % 5 === 2 ? 'maybeKey' : 'notKey';
    }
    if (type === H264_SEI) {
      if (start + length > bytes.length) return 'more';
      if (mayHoldRecoveryPoint(unescape(bytes.subarray(start + 1, start + length)))) recoveryPoint = true;
    }
    at = start + length;
  }
  return 'maybeKey';
}

/** The RBSP of a NAL unit's payload: emulation prevention bytes (00 00 03) removed. */
function unescape(nal: Buffer): Buffer {
  const out: number[] = [];
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    zeros = byte === 0 ? zeros + 1 : 0;
    out.push(byte);
  }
  return Buffer.from(out);
}

/** Whether an SEI payload holds a recovery point message, or cannot be walked to say it does not. */
function mayHoldRecoveryPoint(rbsp: Buffer): boolean {
  let at = 0;
  // Messages until the trailing bits (a lone 0x80) are all that is left.
  while (at < rbsp.length && !(at === rbsp.length - 1 && rbsp[at] === 0x80)) {
    let type = 0;
    let size = 0;
    for (;;) {
      const byte = rbsp[at++];
      if (byte === undefined) return true;
      type += byte;
      if (byte !== 0xff) break;
    }
    for (;;) {
      const byte = rbsp[at++];
      if (byte === undefined) return true;
      size += byte;
      if (byte !== 0xff) break;
    }
    if (type === SEI_RECOVERY_POINT || at + size > rbsp.length) return true;
    at += size;
  }
  return false;
}

/** slice_type from the start of a slice header (after first_mb_in_slice); null when it is not there. */
function sliceTypeOf(escaped: Buffer): number | null {
  const rbsp = unescape(escaped);
  let bit = 0;
  const readBit = (): number | null => {
    const byte = rbsp[bit >> 3];
    if (byte === undefined) return null;
    const value = (byte >> (7 - (bit & 7))) & 1;
    bit++;
    return value;
  };
  const readUe = (): number | null => {
    let zeros = 0;
    for (;;) {
      const b = readBit();
      if (b === null || zeros > 31) return null;
      if (b === 1) break;
      zeros++;
    }
    let value = 0;
    for (let k = 0; k < zeros; k++) {
      const b = readBit();
      if (b === null) return null;
      value = value * 2 + b;
    }
    return value + 2 ** zeros - 1;
  };
  if (readUe() === null) return null;
  return readUe();
}
