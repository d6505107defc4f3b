/** The station's UTC offset at a given instant, in minutes east of UTC (Asia/Shanghai: +480). */
export function localOffsetMinutes(at: Date): number {
  return -at.getTimezoneOffset();
}

/** ISO 8601 with an explicit offset, e.g. `2026-03-01T17:30:00.000+08:00`; offset 0 gives `Z`. */
export function formatWithOffset(at: Date, offsetMinutes: number): string {
  const shifted = new Date(at.getTime() + offsetMinutes * 60_000);
  const base = shifted.toISOString().slice(0, -1);
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${base}${sign}${hh}:${mm}`;
}

/** Now, as the station records it: the UTC instant plus the station's offset at that instant. */
export function stationTimestamp(at: Date): string {
  return formatWithOffset(at, localOffsetMinutes(at));
}

/** The UTC form of an ISO instant with offset, for sorting and range filters. */
export function toUtcIso(iso: string): string {
  return new Date(iso).toISOString();
}
