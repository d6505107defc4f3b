import type { Gps } from '../../../shared/schemas';
import type { MediaTools } from '../tools/binaries';
import { parseFfprobeJson, rationalValue, type FfprobeStream } from './ffprobeJson';
import { identityText } from './identityText';
import { parseIso6709 } from './iso6709';
import { runProcess } from '../tools/runProcess';
import type { Logger } from '../../engineApi';

const FFPROBE_TIMEOUT_MS = 60_000;
const FFPROBE_MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** What the station asks ffprobe for, before the file's path (the bench's probe floor runs the same). */
export const FFPROBE_ARGS: readonly string[] = [
  '-v',
  'error',
  '-print_format',
  'json',
  '-show_format',
  '-show_streams',
];

/** Runs ffprobe on one file and returns its JSON. Throws a `ProcessError` when ffprobe cannot read the file. */

export async function runFfprobe(
  tools: MediaTools,
  file: string,
  signal?: AbortSignal,
  log?: Logger,
): Promise<unknown> {
  const args = [...FFPROBE_ARGS, file];
  const { stdout } = await runProcess(tools.ffprobe.path, args, {
    signal,
    log,
    timeoutMs: FFPROBE_TIMEOUT_MS,
    collectStdout: true,
    maxStdoutBytes: FFPROBE_MAX_OUTPUT_BYTES,
    viaLauncher: true,
  });
  return JSON.parse(stdout) as unknown;
}

/** What ffprobe says about a file, in our words. Absent fields were not in the file. */
export interface ProbeFacts {
  /** ffprobe's `format_name`, e.g. `mov,mp4,m4a,3gp,3g2,mj2`. */
  container?: string;
  durationSec?: number;
  width?: number;
  height?: number;
  /** Exact, unrounded (`30000/1001` → 29.97002997…), as the clip planner reads it; round only to show it. */
  frameRate?: number;
  videoCodec?: string;
  audioCodec?: string;
  pixelFormat?: string;
  /** Degrees to turn the stored picture clockwise for display: 0, 90, 180 or 270. */
  rotation?: number;
  bitRate?: number;
  /** The raw `creation_time` tag: QuickTime marks it UTC, but many body-cams write local time there. */
  creationTime?: string;
  /** A creation time that carries its own offset (Apple `com.apple.quicktime.creationdate`), as ISO 8601. */
  creationTimeWithOffset?: string;
  gps?: Gps;
  make?: string;
  model?: string;
  serial?: string;
  /** Firmware or software version: GoPro's `FIRM` (ffprobe's `firmware`), Apple's `software`, Android's `version`. */
  firmware?: string;
  /** Set when Apple or Android metadata keys are present: phones write `creation_time` as true UTC. */
  writtenByPhone?: true;
  hasVideo: boolean;
  hasAudio: boolean;
  /** Set when the file cannot be played: no decodable stream, or a video stream with no duration. */
  undecodableReason?: string;
}

const LOCATION_KEYS = ['com.apple.quicktime.location.iso6709', 'location', 'location-eng'];
const MAKE_KEYS = ['com.apple.quicktime.make', 'make', 'com.android.manufacturer', 'manufacturer'];
const MODEL_KEYS = ['com.apple.quicktime.model', 'model', 'com.android.model'];
const PHONE_KEY_PREFIXES = ['com.apple.quicktime.', 'com.android.'];
const SERIAL_KEYS = ['serial', 'serial_number', 'serialnumber', 'com.apple.quicktime.serialnumber'];
const FIRMWARE_KEYS = ['firmware', 'com.apple.quicktime.software', 'com.android.version'];

/** Turns ffprobe JSON (`-show_format -show_streams`) into `ProbeFacts`. Pure; throws only on JSON of another shape. */
export function parseFfprobe(json: unknown): ProbeFacts {
  const output = parseFfprobeJson(json);
  const format = output.format;
  // Cover art in audio files is a "video" stream too; it does not make the file a video.
  const video = output.streams.find((s) => s.type === 'video' && s.codecName && !s.attachedPicture);
  const audio = output.streams.find((s) => s.type === 'audio' && s.codecName);
  // Format tags first, then stream tags: keys are compared case-insensitively (Matroska writes upper case).
  const tags = mergeTags([format?.tags, video?.tags, audio?.tags]);

  const facts: ProbeFacts = { hasVideo: video !== undefined, hasAudio: audio !== undefined };
  set(facts, 'container', format?.formatName);
  set(facts, 'durationSec', readDuration(video ?? audio, format?.durationSec, output.streams));
  set(facts, 'bitRate', format?.bitRate);
  if (video) {
    set(facts, 'videoCodec', video.codecName);
    set(facts, 'width', video.width);
    set(facts, 'height', video.height);
    set(facts, 'pixelFormat', video.pixelFormat);
    set(facts, 'frameRate', video.frameRate ? rationalValue(video.frameRate) : undefined);
    set(facts, 'rotation', video.rotation);
  }
  set(facts, 'audioCodec', audio?.codecName);
  set(facts, 'creationTime', text(tags.get('creation_time')));
  set(facts, 'creationTimeWithOffset', readTimeWithOffset(text(tags.get('com.apple.quicktime.creationdate'))));
  set(facts, 'gps', firstOf(tags, LOCATION_KEYS, readLocation));
  set(facts, 'make', firstOf(tags, MAKE_KEYS, identityText));
  set(facts, 'model', firstOf(tags, MODEL_KEYS, identityText));
  set(facts, 'serial', firstOf(tags, SERIAL_KEYS, identityText));
  set(facts, 'firmware', firstOf(tags, FIRMWARE_KEYS, identityText));
  if ([...tags.keys()].some((key) => PHONE_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)))) {
    facts.writtenByPhone = true;
  }

  if (!video && !audio) facts.undecodableReason = 'no decodable audio or video stream';
  else if (!facts.durationSec) facts.undecodableReason = video ? 'video stream with zero duration' : 'zero duration';
  return facts;
}

const readLocation = (value: string) => parseIso6709(value) ?? undefined;

function set<K extends keyof ProbeFacts>(facts: ProbeFacts, key: K, value: ProbeFacts[K] | undefined) {
  if (value !== undefined && value !== '') facts[key] = value;
}

function mergeTags(sources: (Record<string, unknown> | undefined)[]): Map<string, unknown> {
  const merged = new Map<string, unknown>();
  for (const source of sources) {
    for (const [key, value] of Object.entries(source ?? {})) {
      const lower = key.toLowerCase();
      if (!merged.has(lower)) merged.set(lower, value);
    }
  }
  return merged;
}

function firstOf<T>(tags: Map<string, unknown>, keys: string[], read: (value: string) => T | undefined): T | undefined {
  for (const key of keys) {
    const value = text(tags.get(key));
    const parsed = value ? read(value) : undefined;
    if (parsed !== undefined) return parsed;
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * The main stream's duration: the video's, or the audio's in an audio-only file. The container's
 * is the longest of all its tracks, and cameras add data tracks (GoPro's GPMF telemetry and
 * timecode) that run past the picture: a timeline that long ends in a dead tail. The container's
 * duration, then the longest stream's, serve only when the main stream states none (Matroska
 * keeps durations in tags, not in the stream).
 */
function readDuration(
  main: FfprobeStream | undefined,
  formatDuration: number | undefined,
  streams: FfprobeStream[],
): number | undefined {
  if (main?.durationSec !== undefined) return main.durationSec;
  if (formatDuration !== undefined) return formatDuration;
  const longest = Math.max(0, ...streams.map((s) => s.durationSec ?? 0));
  return longest > 0 ? longest : undefined;
}

/** `2026-03-01T09:30:00+0800` → `2026-03-01T09:30:00+08:00`; anything without an offset → undefined. */
function readTimeWithOffset(value: string | undefined): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(value ?? '');
  if (!match) return undefined;
  const offset = match[3] === 'Z' ? 'Z' : `${match[3]?.slice(0, 3)}:${match[3]?.slice(-2)}`;
  return `${match[1]}T${match[2]}${offset}`;
}
