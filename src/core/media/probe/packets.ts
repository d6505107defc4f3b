import { z } from 'zod';
import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { runFfprobe } from './ffprobe';
import { runProcess } from '../tools/runProcess';

/**
 * What clips, stills and the filmstrip need to know about a recording, read with ffprobe: its
 * streams with their time bases, and the packet list of its video around a range. Timestamps stay
 * integers in the stream's time base (ffprobe's rounded `*_time` strings are not exact enough to
 * tell neighbouring frames apart at 1/90000), and are turned into media time only at the edge:
 * media time = pts × time_base − the container's start time.
 */

export type StreamType = 'video' | 'audio' | 'subtitle' | 'data' | 'attachment' | 'unknown';

export interface Rational {
  num: number;
  den: number;
}

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
  frameRate?: number;
  sampleRate?: number;
  channels?: number;
  /** Degrees the display matrix turns the picture (ffprobe's sign: -90 is a quarter turn clockwise). */
  displayRotation?: number;
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

export interface VideoPacket {
  /** In the stream's time base; null when the container does not say. */
  pts: number | null;
  dts: number | null;
  duration: number | null;
  isKeyframe: boolean;
  /** Flagged to be dropped after decoding (an edit list hides it). */
  isDiscarded: boolean;
}

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

const Tags = z.record(z.string(), z.unknown()).optional();
const ProbeStream = z.looseObject({
  index: z.number().int(),
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  codec_tag_string: z.string().optional(),
  time_base: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  pix_fmt: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  nb_frames: z.string().optional(),
  start_time: z.string().optional(),
  duration: z.string().optional(),
  sample_rate: z.string().optional(),
  channels: z.number().optional(),
  disposition: z.record(z.string(), z.number()).optional(),
  tags: Tags,
  side_data_list: z.array(z.looseObject({ rotation: z.number().optional() })).optional(),
});
const ProbeOutput = z.looseObject({
  streams: z.array(ProbeStream).default([]),
  format: z
    .looseObject({
      format_name: z.string().optional(),
      start_time: z.string().optional(),
      duration: z.string().optional(),
      tags: Tags,
    })
    .optional(),
});

/** Streams and container facts of `src` (one ffprobe run). Throws a `ProcessError` when ffprobe cannot read it. */
export async function probeSource(tools: MediaTools, src: string, opts: ProbeOptions = {}): Promise<SourceInfo> {
  return parseSourceInfo(await runFfprobe(tools, src, opts.signal, opts.log));
}

/** Turns ffprobe's `-show_format -show_streams` JSON into `SourceInfo`. Pure. */
export function parseSourceInfo(json: unknown): SourceInfo {
  const output = ProbeOutput.parse(json);
  const format = output.format ?? {};
  const brand = format.tags?.major_brand;
  return {
    formatName: format.format_name ?? 'unknown',
    majorBrand: typeof brand === 'string' ? brand : null,
    startSec: finiteOr(Number(format.start_time), 0),
    durationSec: positiveOrNull(Number(format.duration)),
    streams: output.streams.map(readStream),
  };
}

function readStream(s: z.infer<typeof ProbeStream>): StreamInfo {
  const type = (['video', 'audio', 'subtitle', 'data', 'attachment'] as const).find((t) => t === s.codec_type);
  const tag = s.codec_tag_string && !/^\[/.test(s.codec_tag_string) ? s.codec_tag_string : undefined;
  const info: StreamInfo = {
    index: s.index,
    type: type ?? 'unknown',
    codec: s.codec_name ?? tag ?? 'unknown',
    timeBase: parseRational(s.time_base) ?? { num: 1, den: 90000 },
  };
  if (s.width) info.width = s.width;
  if (s.height) info.height = s.height;
  if (s.pix_fmt) info.pixelFormat = s.pix_fmt;
  const rate = rateOf(s.avg_frame_rate) ?? rateOf(s.r_frame_rate);
  if (type === 'video' && rate) info.frameRate = rate;
  const sampleRate = Number(s.sample_rate);
  if (sampleRate > 0) info.sampleRate = sampleRate;
  if (s.channels) info.channels = s.channels;
  const rotation = s.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
  if (rotation) info.displayRotation = rotation;
  if (s.disposition?.attached_pic) info.attachedPicture = true;
  const start = Number(s.start_time);
  if (s.start_time !== undefined && Number.isFinite(start)) info.startSec = start;
  const duration = positiveOrNull(Number(s.duration));
  if (duration !== null) info.durationSec = duration;
  const count = Number(s.nb_frames);
  if (s.nb_frames !== undefined && Number.isInteger(count) && count >= 0) info.packetCount = count;
  const timecode = s.tags?.timecode;
  if (typeof timecode === 'string' && timecode !== '') info.timecode = timecode;
  return info;
}

/** The recording's picture: the first video stream that is not cover art; null for audio-only files. */
export function findMainVideo(source: SourceInfo): StreamInfo | null {
  return source.streams.find((s) => s.type === 'video' && !s.attachedPicture) ?? null;
}

const PacketJson = z.looseObject({
  pts: z.number().optional(),
  dts: z.number().optional(),
  duration: z.number().optional(),
  flags: z.string().optional(),
});
const PacketsOutput = z.looseObject({ packets: z.array(PacketJson).default([]) });

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
  return parseVideoPackets(JSON.parse(stdout) as unknown);
}

export interface SourceWithPackets {
  source: SourceInfo;
  /** Packets of every stream, in file order, by stream index. */
  packets: Map<number, VideoPacket[]>;
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
  const packets = new Map<number, VideoPacket[]>();
  const listed = z.looseObject({ packets: z.array(PacketJson.extend({ stream_index: z.number() })).default([]) });
  for (const p of listed.parse(json).packets) {
    const list = packets.get(p.stream_index) ?? [];
    list.push(toPacket(p));
    packets.set(p.stream_index, list);
  }
  return { source: parseSourceInfo(json), packets };
}

/** Turns ffprobe's `-show_entries packet=pts,dts,duration,flags` JSON into packets. Pure. */
export function parseVideoPackets(json: unknown): VideoPacket[] {
  return PacketsOutput.parse(json).packets.map(toPacket);
}

function toPacket(p: z.infer<typeof PacketJson>): VideoPacket {
  return {
    pts: p.pts ?? null,
    dts: p.dts ?? null,
    duration: p.duration ?? null,
    isKeyframe: p.flags?.includes('K') ?? false,
    isDiscarded: p.flags?.includes('D') ?? false,
  };
}

/** `30000/1001` → {30000, 1001}; null for `0/0` or anything else. */
export function parseRational(text: string | undefined): Rational | null {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match) return null;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return num > 0 && den > 0 ? { num, den } : null;
}

/** Seconds of `ticks` in `tb`. */
export function ticksToSec(ticks: number, tb: Rational): number {
  return (ticks * tb.num) / tb.den;
}

function rateOf(text: string | undefined): number | undefined {
  const r = parseRational(text);
  return r ? r.num / r.den : undefined;
}

function finiteOr(n: number, fallback: number): number {
  return Number.isFinite(n) ? n : fallback;
}

function positiveOrNull(n: number): number | null {
  return Number.isFinite(n) && n > 0 ? n : null;
}
