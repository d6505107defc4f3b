import type { RecordedAtSource } from '../../../shared/schemas';

/**
 * Chooses a file's recorded time from what its metadata, name and file system say. Pure.
 *
 * Priority, and why:
 * 1. A container, stream or EXIF time that carries its own offset (Apple `creationdate`, AVCHD's
 *    MDPM, EXIF with `OffsetTimeOriginal`): both the instant and the zone are known: `offsetKnown: true`.
 * 2. EXIF `DateTimeOriginal` without offset, then the container `creation_time`: written by the
 *    camera at the moment of recording, so closest to the truth, but the zone is assumed.
 * 3. The file name: also the camera's wall clock, but names are renamed by people and tools.
 * 4. The file system modification time: an instant, but copying, FAT's zone-less timestamps and
 *    cameras that close files late make it the weakest. It is expressed in the station's offset
 *    and reported with `offsetKnown: false` because the zone the footage was recorded in is unknown.
 *
 * Wherever the offset is assumed, the result is written in the station's offset so the displayed
 * time is what the camera showed; a reviewer corrects it through the logged correction flow.
 */

/** A wall-clock time without zone, as cameras and file names carry it. Months are 1–12. */
export interface LocalDateTime {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

export interface ContainerTime {
  /** The QuickTime `creation_time` tag as ffprobe prints it (always marked `Z`). */
  creationTime: string;
  /**
   * Phones write true UTC there, body-cams usually their local wall clock marked UTC. `phone`
   * when the file carries phone metadata (Apple / Android keys); otherwise it is decided below.
   */
  writer: 'phone' | 'unknown';
}

export interface TimeCandidates {
  /** A container time with its own offset, ISO 8601 (Apple `com.apple.quicktime.creationdate`). */
  containerWithOffset?: string;
  container?: ContainerTime;
  /**
   * A wall clock written in the video stream itself (AVCHD's MDPM), with the camera's zone when it
   * says one. Reported as `container`: the file's own metadata, like a container time.
   */
  stream?: { local: LocalDateTime; offsetMinutes?: number };
  /** EXIF DateTimeOriginal, with OffsetTimeOriginal in minutes when present. */
  exif?: { local: LocalDateTime; offsetMinutes?: number };
  fileName?: LocalDateTime;
  modifiedAt?: Date | null;
}

export interface RecordedTime {
  /** ISO 8601 with offset, or `Z` when the offset is zero. */
  recordedAt: string;
  recordedAtSource: RecordedAtSource;
  offsetKnown: boolean;
}

/** Cameras with an unset clock write the QuickTime (1904) or Unix (1970) epoch; such times are ignored. */
const EARLIEST_PLAUSIBLE_YEAR = 1995;
const LATEST_PLAUSIBLE_YEAR = 2100;
/** How close a file-name time must be to a container time to be taken as the same clock reading. */
const SAME_CLOCK_TOLERANCE_MS = 2 * 60_000;

export function chooseRecordedTime(candidates: TimeCandidates, stationOffsetMinutes: number): RecordedTime | null {
  const withOffset = parseIsoWithOffset(candidates.containerWithOffset);
  if (withOffset) {
    return known(formatInstant(withOffset.epochMs, withOffset.offsetMinutes), 'container');
  }
  const stream = candidates.stream;
  if (stream && isPlausible(stream.local) && stream.offsetMinutes !== undefined) {
    return known(formatWallClock(stream.local, stream.offsetMinutes), 'container');
  }
  if (stream && isPlausible(stream.local)) {
    return assumed(formatWallClock(stream.local, stationOffsetMinutes), 'container');
  }
  const exif = candidates.exif;
  if (exif && isPlausible(exif.local) && exif.offsetMinutes !== undefined) {
    return known(formatWallClock(exif.local, exif.offsetMinutes), 'exif');
  }
  if (exif && isPlausible(exif.local)) {
    return assumed(formatWallClock(exif.local, stationOffsetMinutes), 'exif');
  }
  const container = readContainerTime(candidates.container, candidates.fileName, stationOffsetMinutes);
  if (container) return assumed(container, 'container');
  if (candidates.fileName && isPlausible(candidates.fileName)) {
    return assumed(formatWallClock(candidates.fileName, stationOffsetMinutes), 'filename');
  }
  const mtime = candidates.modifiedAt?.getTime();
  if (mtime !== undefined && Number.isFinite(mtime)) {
    return assumed(formatInstant(mtime, stationOffsetMinutes), 'filesystem');
  }
  return null;
}

const known = (recordedAt: string, recordedAtSource: RecordedAtSource): RecordedTime => ({
  recordedAt,
  recordedAtSource,
  offsetKnown: true,
});
const assumed = (recordedAt: string, recordedAtSource: RecordedAtSource): RecordedTime => ({
  recordedAt,
  recordedAtSource,
  offsetKnown: false,
});

/**
 * A `creation_time` is read as the camera's wall clock (the body-cam habit) unless the writer is a
 * phone, or the file name shows the same moment shifted by the station offset, i.e. true UTC.
 */
function readContainerTime(
  container: ContainerTime | undefined,
  fileName: LocalDateTime | undefined,
  stationOffsetMinutes: number,
): string | null {
  const utc = parseIsoWithOffset(container?.creationTime);
  if (!container || !utc) return null;
  const wall = localFromEpoch(utc.epochMs, 0);
  if (!isPlausible(wall)) return null;
  const asInstant = formatInstant(utc.epochMs, stationOffsetMinutes);
  if (container.writer === 'phone') return asInstant;
  if (fileName && isPlausible(fileName)) {
    const nameMs = epochOfWallClock(fileName, 0);
    const matchesWall = Math.abs(nameMs - utc.epochMs) <= SAME_CLOCK_TOLERANCE_MS;
    const matchesUtc = Math.abs(nameMs - (utc.epochMs + stationOffsetMinutes * 60_000)) <= SAME_CLOCK_TOLERANCE_MS;
    if (matchesUtc && !matchesWall) return asInstant;
  }
  return formatWallClock(wall, stationOffsetMinutes);
}

/** Checks ranges, including the day of the month. */
export function isValidLocalDateTime(t: LocalDateTime): boolean {
  const values = [t.y, t.m, t.d, t.h, t.mi, t.s];
  if (!values.every(Number.isInteger)) return false;
  if (t.m < 1 || t.m > 12 || t.d < 1 || t.h > 23 || t.h < 0 || t.mi < 0 || t.mi > 59 || t.s < 0 || t.s > 59) {
    return false;
  }
  const daysInMonth = new Date(Date.UTC(t.y, t.m, 0)).getUTCDate();
  return t.d <= daysInMonth;
}

function isPlausible(t: LocalDateTime): boolean {
  return isValidLocalDateTime(t) && t.y >= EARLIEST_PLAUSIBLE_YEAR && t.y <= LATEST_PLAUSIBLE_YEAR;
}

function epochOfWallClock(t: LocalDateTime, offsetMinutes: number): number {
  return Date.UTC(t.y, t.m - 1, t.d, t.h, t.mi, t.s) - offsetMinutes * 60_000;
}

function localFromEpoch(epochMs: number, offsetMinutes: number): LocalDateTime {
  const shifted = new Date(epochMs + offsetMinutes * 60_000);
  return {
    y: shifted.getUTCFullYear(),
    m: shifted.getUTCMonth() + 1,
    d: shifted.getUTCDate(),
    h: shifted.getUTCHours(),
    mi: shifted.getUTCMinutes(),
    s: shifted.getUTCSeconds(),
  };
}

/** `{2026,3,1,9,30,0}` at +480 → `2026-03-01T09:30:00+08:00`. */
export function formatWallClock(t: LocalDateTime, offsetMinutes: number): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(t.y, 4)}-${pad(t.m)}-${pad(t.d)}T${pad(t.h)}:${pad(t.mi)}:${pad(t.s)}${formatOffset(offsetMinutes)}`;
}

/** An instant written as the wall clock of the given offset (seconds precision). */
export function formatInstant(epochMs: number, offsetMinutes: number): string {
  return formatWallClock(localFromEpoch(epochMs, offsetMinutes), offsetMinutes);
}

export function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `+08:00`, `+0800`, `-05:30`, `Z` → minutes east of UTC; null for anything else or beyond ±14 h. */
export function parseOffset(text: string | undefined): number | null {
  const value = text?.trim();
  if (value === 'Z') return 0;
  const match = /^([+-])(\d{2}):?(\d{2})$/.exec(value ?? '');
  if (!match) return null;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  if (minutes > 14 * 60 || Number(match[3]) > 59) return null;
  return match[1] === '-' ? -minutes : minutes;
}

/** Reads an ISO 8601 time that must carry `Z` or an offset; returns its instant and offset. */
export function parseIsoWithOffset(text: string | undefined): { epochMs: number; offsetMinutes: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.exec(
    text?.trim() ?? '',
  );
  if (!match) return null;
  const [y, m, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = { y, m, d, h, mi, s };
  const offsetMinutes = parseOffset(match[7]);
  if (offsetMinutes === null || !isPlausible(local)) return null;
  return { epochMs: epochOfWallClock(local, offsetMinutes), offsetMinutes };
}
