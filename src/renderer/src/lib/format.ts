/** Display formatting that does not depend on the language. */

/** `h:mm:ss` for any duration; evidence durations are never shown rounded to minutes. */
export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds == null || !Number.isFinite(seconds)) return null;
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export interface InstantParts {
  /** Wall-clock date and time as recorded, `YYYY-MM-DD HH:mm:ss`. */
  wall: string;
  /** `+08:00`, or `Z` for UTC. */
  offset: string;
}

const ISO_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Splits an ISO instant into the wall-clock time it was written in and its offset. Evidence times
 * are shown as recorded (the camera's local time plus offset), not converted to the viewer's zone.
 */
export function splitInstant(iso: string): InstantParts | null {
  const match = ISO_RE.exec(iso);
  if (!match) return null;
  const time = match[2]!.length === 5 ? `${match[2]}:00` : match[2]!;
  return { wall: `${match[1]} ${time}`, offset: match[3]! };
}

export function formatInstant(iso: string | null | undefined): string | null {
  if (!iso) return null;
  const parts = splitInstant(iso);
  if (!parts) return iso;
  return `${parts.wall} ${parts.offset === 'Z' ? 'UTC' : parts.offset}`;
}

export function shortHash(sha256: string | null | undefined): string {
  return sha256 ? sha256.slice(0, 12) : '';
}

/** The browser's current UTC offset as `+08:00`. */
export function localOffset(date = new Date()): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '-';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A `YYYY-MM-DD` date input as the start or end of that day at the given offset. */
export function dayBoundary(date: string, end: boolean, offset = localOffset()): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  return `${date}T${end ? '23:59:59.999' : '00:00:00'}${offset}`;
}

export function formatCoordinate(value: number): string {
  return value.toFixed(6);
}

/** Whether a typed source path is absolute on POSIX or Windows. */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/**
 * ffprobe names a container by its whole family (`mov,mp4,m4a,3gp,3g2,mj2`); a reviewer wants
 * the member this file is: the one its extension names, else the first.
 */
export function formatContainer(container: string | undefined, fileName: string): string | undefined {
  if (!container) return undefined;
  const members = container.split(',');
  const ext = fileName.includes('.') ? fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase() : '';
  return members.find((m) => m === ext) ?? members[0];
}
