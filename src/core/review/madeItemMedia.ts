import { extname, parse as parsePath, sep } from 'node:path';
import type { MediaInfo } from '../../shared/schemas';
import type { ItemRow } from '../library/itemsRepo';
import { formatWithOffset } from '../util/time';

/**
 * What a clip or still inherits from its source. The file ffmpeg wrote says little about where it
 * came from (its container time is the time it was cut, or a copy with no offset), so the facts
 * of the scene come from the source item, and its recorded time is the source's plus the offset
 * into it (`recordedAtSource: 'derived'`).
 */
export function madeItemMedia(probed: MediaInfo, source: ItemRow, offsetSec: number): MediaInfo {
  const { recordedAt: _r, recordedAtSource: _s, offsetKnown: _o, ...rest } = probed;
  const from = JSON.parse(source.media) as MediaInfo;
  const media: MediaInfo = { ...rest };
  for (const key of ['gps', 'make', 'model', 'serial', 'firmware', 'deviceId', 'officerId'] as const) {
    if (from[key] !== undefined) Object.assign(media, { [key]: from[key] });
  }
  if (source.recorded_at) {
    media.recordedAt = shiftInstant(source.recorded_at, offsetSec);
    media.recordedAtSource = 'derived';
    media.offsetKnown = source.offset_known !== 0;
  }
  return media;
}

/** `iso` moved by `seconds`, written in the same UTC offset it was given in. */
export function shiftInstant(iso: string, seconds: number): string {
  const match = /(?:Z|([+-])(\d\d):(\d\d))$/.exec(iso);
  const offsetMinutes = match?.[1] ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return formatWithOffset(new Date(Date.parse(iso) + Math.round(seconds * 1000)), offsetMinutes);
}

/** Seconds in a file name: millisecond precision, a dot, no exponent (`12.040`). */
function secondsForName(seconds: number): string {
  return seconds.toFixed(3);
}

/** `<source stem>_clip_<from>-<to>_<mode>.<ext>`, with the measured range. */
export function clipName(sourceName: string, fromSec: number, toSec: number, mode: string, outPath: string): string {
  const stem = parsePath(sourceName).name;
  return `${stem}_clip_${secondsForName(fromSec)}-${secondsForName(toSec)}_${mode}${extname(outPath)}`;
}

/** `<source stem>_still_<t>.png`, with the frame's own time. */
export function stillName(sourceName: string, frameSec: number): string {
  return `${parsePath(sourceName).name}_still_${secondsForName(frameSec)}.png`;
}

/**
 * Provenance is shown to clients and exported with cases, but store paths never leave the
 * engine: the data directory prefix is cut from arguments and command lines, leaving
 * `evidence/sha256/…/<hash>` and `tmp/…`.
 */
export function withoutDataDir<T>(value: T, dataDir: string): T {
  const prefix = dataDir.endsWith(sep) ? dataDir : `${dataDir}${sep}`;
  const strip = (v: unknown): unknown => {
    if (typeof v === 'string') return v.split(prefix).join('');
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(value) as T;
}
