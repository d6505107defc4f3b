import type { SyncWindow } from '../../shared/syncSchemas';

/**
 * The optional daily window in which a station may upload (an office that shares its line by day
 * sets 22:00–06:00). Times are the station's local clock; a window whose end is before its start
 * runs past midnight; start equal to end is the whole day.
 */

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

function minuteOfDay(at: Date): number {
  return at.getHours() * 60 + at.getMinutes();
}

export function isInsideWindow(at: Date, window: SyncWindow | null): boolean {
  if (!window) return true;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  if (start === end) return true;
  const now = minuteOfDay(at);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** When the window next opens (`at` itself when inside it). */
export function nextWindowOpening(at: Date, window: SyncWindow | null): Date {
  if (isInsideWindow(at, window) || !window) return at;
  const start = minutesOf(window.start);
  const next = new Date(at.getFullYear(), at.getMonth(), at.getDate(), Math.floor(start / 60), start % 60, 0, 0);
  if (next.getTime() <= at.getTime()) next.setDate(next.getDate() + 1);
  return next;
}
