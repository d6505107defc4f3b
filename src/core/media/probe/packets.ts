import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { runFfprobe } from './ffprobe';
import {
  parseFfprobeJson,
  parseFfprobeOutput,
  rationalValue,
  type FfprobePacket,
  type FfprobeStream,
  type QuarterTurn,
  type Rational,
  type StreamType,
} from './ffprobeJson';
import { runProcess } from '../tools/runProcess';

export { parseRational, ticksToSec, type Rational, type StreamType } from './ffprobeJson';

/**
 * What clips, stills and the filmstrip need to know about a recording, read with ffprobe: its
 * streams with their time bases, and the packet list of its video around a range. Timestamps stay
 * integers in the stream's time base (ffprobe's rounded `*_time` strings are not exact enough to
 * tell neighbouring frames apart at 1/90000), and are turned into media time only at the edge:
 * media time = pts × time_base − the container's start time. The JSON itself is read by
 * `ffprobeJson.ts`, the station's one reader of it.
 */

export interface StreamInfo {
  /** The stream's index in the file (ffmpeg's `0:<index>`). */
  index: number;
  type: StreamType;
  /** ffprobe's codec name, or the codec tag when ffprobe does not know the codec (e.g. `tmcd`, `gpmd`). */
  codec: string;
  timeBase: Rational;
  width?: number;
  height?: number;
  pixelFormat?: string;
  /** Exact (`30000/1001` → 29.97002997…): the frame grid clips are cut on. */
  frameRate?: number;
  sampleRate?: number;
  channels?: number;
  /** Clockwise quarter turn a player applies for display (exiftool's Rotation); absent when 0 or unsaid. */
  rotation?: Exclude<QuarterTurn, 0>;
  /** Cover art and similar: a "video" stream of one picture. */
  attachedPicture?: boolean;
  /** SMPTE timecode of the first frame (QuickTime/MP4 cameras), as the `timecode` tag says. */
  timecode?: string;
  /** When the stream starts and how long it lasts, as the container says (seconds, its own clock). */
  startSec?: number;
  durationSec?: number;
  /** Packets in the stream as the container's index counts them (MP4/QuickTime sample tables). */
  packetCount?: number;
}

export interface SourceInfo {
  /** ffprobe's `format_name`, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName: string;
  /** `major_brand` of ISO media files (`qt  ` for QuickTime), else null. */
  majorBrand: string | null;
  /** The container's start time: media time 0 is this timestamp. */
  startSec: number;
  durationSec: number | null;
  streams: StreamInfo[];
}

export type VideoPacket = Omit<FfprobePacket, 'streamIndex'>;

export interface PacketWindow {
  /** Media time to start reading at (ffprobe seeks to a keyframe at or before it); null: the beginning. */
  fromSec: number | null;
  /** Media time after which reading stops; null: the end. */
  toSec: number | null;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  log?: Logger;
}

const PACKETS_TIMEOUT_MS = 5 * 60 * 1000;
/** A 2-hour recording at 60 fps has 432,000 video packets of ~60 bytes of JSON each. */
const PACKETS_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** Streams and container facts of `src` (one ffprobe run). Throws a `ProcessError` when ffprobe cannot read it. */
export async function probeSource(tools: MediaTools, src: string, opts: ProbeOptions = {}): Promise<SourceInfo> {
  return parseSourceInfo(await runFfprobe(tools, src, opts.signal, opts.log));
}

/** Turns ffprobe's `-show_format -show_streams` JSON into `SourceInfo`. Pure. */
export function parseSourceInfo(json: unknown): SourceInfo {
  return toSourceInfo(parseFfprobeJson(json));
}

function toSourceInfo(probed: ReturnType<typeof parseFfprobeJson>): SourceInfo {
  const format = probed.format;
  const brand = format?.tags.major_brand;
  return {
    formatName: format?.formatName ?? 'unknown',
    majorBrand: brand ?? null,
    startSec: format?.startSec ?? 0,
    durationSec: format?.durationSec ?? null,
    streams: probed.streams.map(toStreamInfo),
  };
}

function toStreamInfo(s: FfprobeStream): StreamInfo {
  const info: StreamInfo = {
    index: s.index,
    type: s.type,
    codec: s.codecName ?? s.codecTag ?? 'unknown',
    timeBase: s.timeBase ?? { num: 1, den: 90000 },
  };
  if (s.width) info.width = s.width;
  if (s.height) info.height = s.height;
  if (s.pixelFormat) info.pixelFormat = s.pixelFormat;
  if (s.frameRate) info.frameRate = rationalValue(s.frameRate);
  if (s.sampleRate) info.sampleRate = s.sampleRate;
  if (s.channels) info.channels = s.channels;
  if (s.rotation) info.rotation = s.rotation;
  if (s.attachedPicture) info.attachedPicture = true;
  if (s.startSec !== undefined) info.startSec = s.startSec;
  if (s.durationSec !== undefined) info.durationSec = s.durationSec;
  if (s.frameCount !== undefined) info.packetCount = s.frameCount;
  if (s.tags.timecode) info.timecode = s.tags.timecode;
  return info;
}

/** The recording's picture: the first video stream that is not cover art; null for audio-only files. */
export function findMainVideo(source: SourceInfo): StreamInfo | null {
  return source.streams.find((s) => s.type === 'video' && !s.attachedPicture) ?? null;
}

/**
 * The packets of stream `streamIndex` in decode order, read between two media times (ffprobe's
 * `-read_intervals`, so a 2-hour file is not read whole). ffprobe starts at the keyframe its seek
 * lands on, which for some containers is well before `fromSec`; callers look for what they need
 * and widen the window when it is not there.
 */
export async function readVideoPackets(
  tools: MediaTools,
  src: string,
  source: SourceInfo,
  streamIndex: number,
  window: PacketWindow,
  opts: ProbeOptions = {},
): Promise<VideoPacket[]> {
  const toRaw = (media: number | null) => (media === null ? null : media + source.startSec);
  const whole = window.fromSec === null && window.toSec === null;
  const interval = whole ? [] : ['-read_intervals', readInterval(toRaw(window.fromSec), toRaw(window.toSec))];
  const args = [
    ...['-v', 'error', '-select_streams', String(streamIndex), ...interval],
    ...['-show_entries', 'packet=pts,dts,duration,flags', '-of', 'json=compact=1', src],
  ];
  const { stdout } = await runProcess(tools.ffprobe.path, args, {
    signal: opts.signal,
    log: opts.log,
    timeoutMs: PACKETS_TIMEOUT_MS,
    collectStdout: true,
    maxStdoutBytes: PACKETS_MAX_OUTPUT_BYTES,
  });
  return parseFfprobeOutput(stdout).packets.map(toVideoPacket);
}

export interface SourceWithPackets {
  source: SourceInfo;
  /** Packets of every stream, in file order, by stream index. */
  packets: Map<number, VideoPacket[]>;
  /**
   * ffprobe's whole answer, as `runFfprobe` gives it (its format and streams sections are the same
   * as a plain probe's): for a caller that reads the file as an item too, without a second run.
   */
  json: unknown;
}

/**
 * An ffprobe `-read_intervals` item between two times on the file's own clock (null: its
 * beginning, its end). An open end is written as a far offset: this ffprobe reads nothing for
 * `START%` or a bare `START`.
 */
export function readInterval(fromSec: number | null, toSec: number | null): string {
  const start = fromSec !== null && fromSec > 0 ? fromSec.toFixed(6) : '';
  return `${start}%${toSec !== null ? toSec.toFixed(6) : '+1000000000'}`;
}

/**
 * Streams, container facts and packets in one ffprobe run (one process start instead of two: the
 * clip planner runs while the in and out points move). `intervals` (`readInterval`) are on the
 * file's own clock, as its start is read in the same run; null reads every packet.
 */
export async function probeWithPackets(
  tools: MediaTools,
  src: string,
  intervals: string[] | null,
  opts: ProbeOptions = {},
): Promise<SourceWithPackets> {
  const interval = intervals ? ['-read_intervals', intervals.join(',')] : [];
  const args = [
    ...['-v', 'error', ...interval, '-show_format', '-show_streams'],
    ...['-show_entries', 'packet=stream_index,pts,dts,duration,flags', '-of', 'json=compact=1', src],
  ];
  const { stdout } = await runProcess(tools.ffprobe.path, args, {
    signal: opts.signal,
    log: opts.log,
    timeoutMs: PACKETS_TIMEOUT_MS,
    collectStdout: true,
    maxStdoutBytes: PACKETS_MAX_OUTPUT_BYTES,
  });
  const json = JSON.parse(stdout) as unknown;
  const probed = parseFfprobeJson(json);
  const packets = new Map<number, VideoPacket[]>();
  for (const p of probed.packets) {
    if (p.streamIndex === undefined) throw new Error('ffprobe listed a packet without its stream index');
    const list = packets.get(p.streamIndex) ?? [];
    list.push(toVideoPacket(p));
    packets.set(p.streamIndex, list);
  }
  return { source: toSourceInfo(probed), packets, json };
}

/** Turns ffprobe's `-show_entries packet=pts,dts,duration,flags` JSON into packets. Pure. */
export function parseVideoPackets(json: unknown): VideoPacket[] {
  return parseFfprobeJson(json).packets.map(toVideoPacket);
}

function toVideoPacket({ pts, dts, duration, isKeyframe, isDiscarded }: FfprobePacket): VideoPacket {
  return { pts, dts, duration, isKeyframe, isDiscarded };
}
