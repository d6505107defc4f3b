import { formatInstant, parseIsoWithOffset, parseOffset } from '../media/probe/recordedTime';

/**
 * A camera clock's correction, applied to the time the file gave. Pure.
 *
 * The file's reading is what the camera's clock showed, written with the zone the station assumed
 * or the file carried. "This camera ran 3 min 12 s fast and was set to +08:00" means: take the
 * reading's wall-clock digits, add the shift (−192 s), and read the result in +08:00. Always from
 * the reading, never from an earlier correction, so a correction applied twice gives the same
 * time and one applied after a typed correction replaces it rather than adding to it.
 */
export interface ClockCorrection {
  /** Seconds added to the camera's reading. */
  shiftSec: number;
  /** `+08:00`, `Z`; null keeps the reading's own zone. */
  zone: string | null;
}

/** The corrected time as ISO 8601 with offset, or null when `reading` is not a time with offset. */
export function correctReading(reading: string, c: ClockCorrection): string | null {
  const parsed = parseIsoWithOffset(reading);
  if (!parsed) return null;
  const zoneMinutes = c.zone === null ? parsed.offsetMinutes : parseOffset(c.zone);
  if (zoneMinutes === null) return null;
  // The wall clock as if it were UTC, shifted, then read in the camera's zone.
  const wallMs = parsed.epochMs + parsed.offsetMinutes * 60_000 + c.shiftSec * 1000;
  return formatInstant(wallMs - zoneMinutes * 60_000, zoneMinutes);
}

const UNIT_SEC: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

/**
 * A shift as people write it: `-3m12s`, `+1h`, `90s`, `-192` (seconds), `-00:03:12` (h:mm:ss).
 * Null for anything else. The sign applies to the whole shift.
 */
export function parseShift(text: string): number | null {
  const match = /^([+-]?)(.+)$/.exec(text.trim());
  if (!match) return null;
  const sign = match[1] === '-' ? -1 : 1;
  const body = match[2]!;
  if (/^\d+$/.test(body)) return sign * Number(body);
  const clock = /^(\d+):([0-5]\d):([0-5]\d)$/.exec(body);
  if (clock) return sign * (Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]));
  if (!/^(\d+[dhms])+$/.test(body)) return null;
  let total = 0;
  const seen = new Set<string>();
  for (const [, value, unit] of body.matchAll(/(\d+)([dhms])/g)) {
    if (seen.has(unit!)) return null;
    seen.add(unit!);
    total += Number(value) * UNIT_SEC[unit!]!;
  }
  return sign * total;
}
