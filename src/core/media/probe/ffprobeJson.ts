import { z } from 'zod';

/**
 * The one reader of ffprobe's JSON (`-print_format json` with `-show_format`, `-show_streams`
 * and/or `-show_entries packet=…`). Everything the station learns from ffprobe passes through
 * here, so the import facts, the clip planner and the still maker read the same rotation and the
 * same frame rate from the same file.
 *
 * Two conventions are settled here, once:
 * - Rotation is the clockwise quarter turn a player applies to show the stored picture upright
 *   (0, 90, 180, 270): exiftool's `Rotation`. ffprobe prints the display matrix angle
 *   counter-clockwise (an iPhone portrait video: `rotation: -90`, exiftool `Rotation: 90`), and
 *   ffprobe before 5.0 also printed a clockwise `rotate` tag; both are turned into the clockwise
 *   angle.
 * - Frame rates stay exact rationals (`30000/1001`). A rounded rate (29.97) puts frame n of a long
 *   recording on another time than the cutter's frame grid; round only where a person reads it.
 */

export type StreamType = 'video' | 'audio' | 'subtitle' | 'data' | 'attachment' | 'unknown';

export interface Rational {
  num: number;
  den: number;
}

export type QuarterTurn = 0 | 90 | 180 | 270;

export interface FfprobeStream {
  /** The stream's index in the file (ffmpeg's `0:<index>`). */
  index: number;
  type: StreamType;
  /** ffprobe's `codec_name`; absent when ffprobe has no decoder for it. */
  codecName?: string;
  /** The container's codec tag when it is printable (`avc1`, `tmcd`, `gpmd`), else absent. */
  codecTag?: string;
  timeBase?: Rational;
  width?: number;
  height?: number;
  pixelFormat?: string;
  /** `avg_frame_rate`, else `r_frame_rate`, exact; absent for `0/0` and for non-video streams. */
  frameRate?: Rational;
  /** Clockwise degrees to turn the stored picture for display; absent when the file says nothing. */
  rotation?: QuarterTurn;
  /** Cover art and similar: a "video" stream of one picture. */
  attachedPicture: boolean;
  /** When the stream starts and how long it lasts, on the file's own clock (seconds). */
  startSec?: number;
  durationSec?: number;
  /** `nb_frames`: packets as the container's index counts them (MP4/QuickTime sample tables). */
  frameCount?: number;
  sampleRate?: number;
  channels?: number;
  /** The stream's tags as written (keys keep their case; values are text). */
  tags: Record<string, string>;
}

export interface FfprobeFormat {
  /** ffprobe's `format_name`, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  formatName?: string;
  /** The container's start time: media time 0 is this timestamp. */
  startSec?: number;
  durationSec?: number;
  bitRate?: number;
  tags: Record<string, string>;
}

export interface FfprobePacket {
  /** Present when the packet list covers several streams (`packet=stream_index,…`). */
  streamIndex?: number;
  /** In the stream's time base; null when the container does not say. */
  pts: number | null;
  dts: number | null;
  duration: number | null;
  isKeyframe: boolean;
  /** Flagged to be dropped after decoding (an edit list hides it). */
  isDiscarded: boolean;
}

export interface FfprobeJson {
  /** Null when `-show_format` was not asked for. */
  format: FfprobeFormat | null;
  streams: FfprobeStream[];
  /** In the order ffprobe printed them (decode order per stream). */
  packets: FfprobePacket[];
}

const Tags = z.record(z.string(), z.unknown()).optional();
const SideData = z.looseObject({ side_data_type: z.string().optional(), rotation: z.number().optional() });
const StreamJson = z.looseObject({
  // ffprobe always prints it; hand-written JSON may leave it out, and then the position is the index.
  index: z.number().int().nonnegative().optional(),
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
  side_data_list: z.array(SideData).optional(),
});
const FormatJson = z.looseObject({
  format_name: z.string().optional(),
  start_time: z.string().optional(),
  duration: z.string().optional(),
  bit_rate: z.string().optional(),
  tags: Tags,
});
const PacketJson = z.looseObject({
  stream_index: z.number().int().nonnegative().optional(),
  pts: z.number().optional(),
  dts: z.number().optional(),
  duration: z.number().optional(),
  flags: z.string().optional(),
});
const OutputJson = z.looseObject({
  streams: z.array(StreamJson).default([]),
  format: FormatJson.optional(),
  packets: z.array(PacketJson).default([]),
});
type StreamJson = z.infer<typeof StreamJson>;

/** Parses what ffprobe printed on stdout. Throws on text that is not JSON or JSON of another shape. */
export function parseFfprobeOutput(stdout: string): FfprobeJson {
  return parseFfprobeJson(JSON.parse(stdout) as unknown);
}

/** Reads ffprobe's parsed JSON. Pure; throws (a `ZodError`) only on JSON of another shape. */
export function parseFfprobeJson(json: unknown): FfprobeJson {
  const output = OutputJson.parse(json);
  const format = output.format;
  return {
    format: format
      ? {
          ...defined('formatName', format.format_name),
          ...defined('startSec', finite(format.start_time)),
          ...defined('durationSec', positive(format.duration)),
          ...defined('bitRate', positive(format.bit_rate)),
          tags: textTags(format.tags),
        }
      : null,
    streams: output.streams.map((s, position) => readStream(s, position)),
    packets: output.packets.map(readPacket),
  };
}

function readStream(s: StreamJson, position: number): FfprobeStream {
  const type = (['video', 'audio', 'subtitle', 'data', 'attachment'] as const).find((t) => t === s.codec_type);
  const tags = textTags(s.tags);
  const count = Number(s.nb_frames);
  return {
    index: s.index ?? position,
    type: type ?? 'unknown',
    ...defined('codecName', s.codec_name || undefined),
    // ffprobe prints unprintable tags as `[0][0][0][0]`.
    ...defined('codecTag', s.codec_tag_string && !s.codec_tag_string.startsWith('[') ? s.codec_tag_string : undefined),
    ...defined('timeBase', parseRational(s.time_base) ?? undefined),
    ...defined('width', positiveInt(s.width)),
    ...defined('height', positiveInt(s.height)),
    ...defined('pixelFormat', s.pix_fmt || undefined),
    ...defined(
      'frameRate',
      type === 'video' ? (parseRational(s.avg_frame_rate) ?? parseRational(s.r_frame_rate) ?? undefined) : undefined,
    ),
    ...defined('rotation', type === 'video' ? readRotation(s, tags) : undefined),
    attachedPicture: s.disposition?.attached_pic === 1,
    ...defined('startSec', finite(s.start_time)),
    ...defined('durationSec', positive(s.duration)),
    ...defined('frameCount', s.nb_frames !== undefined && Number.isInteger(count) && count >= 0 ? count : undefined),
    ...defined('sampleRate', positive(s.sample_rate)),
    ...defined('channels', positiveInt(s.channels)),
    tags,
  };
}

/**
 * The display matrix is what the file stores, so it wins; its angle is counter-clockwise. The
 * `rotate` tag (ffprobe before 5.0, and some Matroska writers) is already clockwise.
 */
function readRotation(s: StreamJson, tags: Record<string, string>): QuarterTurn | undefined {
  const matrix = s.side_data_list?.find((d) => d.side_data_type === 'Display Matrix' && d.rotation !== undefined);
  if (matrix?.rotation !== undefined) return toQuarterTurn(-matrix.rotation);
  const tag = Object.entries(tags).find(([key]) => key.toLowerCase() === 'rotate')?.[1];
  const degrees = Number(tag);
  return tag !== undefined && tag.trim() !== '' && Number.isFinite(degrees) ? toQuarterTurn(degrees) : undefined;
}

/** Any angle in degrees → the nearest clockwise quarter turn in 0..270. */
export function toQuarterTurn(degrees: number): QuarterTurn {
  const quarter = Math.round(degrees / 90) * 90;
  return (((quarter % 360) + 360) % 360) as QuarterTurn;
}

function readPacket(p: z.infer<typeof PacketJson>): FfprobePacket {
  return {
    ...defined('streamIndex', p.stream_index),
    pts: p.pts ?? null,
    dts: p.dts ?? null,
    duration: p.duration ?? null,
    isKeyframe: p.flags?.includes('K') ?? false,
    isDiscarded: p.flags?.includes('D') ?? false,
  };
}

/** `30000/1001` → {30000, 1001}; null for `0/0`, a negative or anything else. */
export function parseRational(text: string | undefined): Rational | null {
  const match = /^(\d+)\/(\d+)$/.exec(text ?? '');
  if (!match) return null;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return num > 0 && den > 0 ? { num, den } : null;
}

/** The rational as a number, unrounded (`30000/1001` → 29.97002997…). */
export function rationalValue(r: Rational): number {
  return r.num / r.den;
}

/** Seconds of `ticks` in `tb`. */
export function ticksToSec(ticks: number, tb: Rational): number {
  return (ticks * tb.num) / tb.den;
}

/** Tags as text: ffprobe prints every tag value as a string; anything else is not a tag. */
function textTags(tags: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags ?? {})) if (typeof value === 'string') out[key] = value;
  return out;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function finite(text: string | undefined): number | undefined {
  const n = Number(text);
  return text !== undefined && text.trim() !== '' && Number.isFinite(n) ? n : undefined;
}

function positive(text: string | undefined): number | undefined {
  const n = finite(text);
  return n !== undefined && n > 0 ? n : undefined;
}

function positiveInt(value: number | undefined): number | undefined {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : undefined;
}
