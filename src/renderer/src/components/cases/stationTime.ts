import { localOffset } from '../../lib/format';

/**
 * The station's own clock: the time zone of the machine the station runs on, which is the one the
 * officers read. A case's time axis and its occurred-at field use it; an item's recorded time is
 * still shown as recorded (its own offset) wherever the item itself is shown.
 */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The station's UTC offset at an instant, in minutes east of UTC (daylight saving included). */
export function stationOffsetMinutes(atMs: number): number {
  return -new Date(atMs).getTimezoneOffset();
}

/** `Asia/Shanghai UTC+08:00`, or just `UTC+08:00` when the zone has no name. */
export function stationZoneLabel(atMs = Date.now()): string {
  const offset = `UTC${localOffset(new Date(atMs))}`;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== 'UTC' ? `${zone} ${offset}` : offset;
}

/** `YYYY-MM-DD`, `HH:mm` or `HH:mm:ss` of an instant on the station's clock. */
export function formatStationDate(atMs: number): string {
  const d = new Date(atMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function formatStationClock(atMs: number, seconds: boolean): string {
  const d = new Date(atMs);
  const clock = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return seconds ? `${clock}:${pad(d.getSeconds())}` : clock;
}

export function formatStationTime(atMs: number): string {
  return `${formatStationDate(atMs)} ${formatStationClock(atMs, true)}`;
}

/** An ISO instant as a `datetime-local` input value on the station's clock (`YYYY-MM-DDTHH:mm`). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return `${formatStationDate(ms)}T${formatStationClock(ms, false)}`;
}

/**
 * A `datetime-local` value (read as the station's local time) as an ISO instant carrying the
 * station's offset at that date, e.g. `2026-03-01T09:30:00+08:00`; '' gives null, junk undefined.
 */
export function fromLocalInput(value: string): string | null | undefined {
  if (value === '') return null;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (!match) return undefined;
  const local = `${match[1]}${match[2] ?? ':00'}`;
  const date = new Date(local);
  if (Number.isNaN(date.getTime())) return undefined;
  return `${local}${localOffset(date)}`;
}

/** Seconds on a recording as `m:ss.fff` (or `h:mm:ss.fff`), the precision clips are cut at. */
export function formatMediaTime(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000) % 60;
  const m = Math.floor(totalMs / 60_000) % 60;
  const h = Math.floor(totalMs / 3_600_000);
  const tail = `${pad(s)}.${pad(ms, 3)}`;
  return h > 0 ? `${h}:${pad(m)}:${tail}` : `${m}:${tail}`;
}
