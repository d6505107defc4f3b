import type { Locale } from '../../../../shared/schemas';
import type { TickUnit } from './timelineLayout';

/**
 * Tick labels of the case time axis on the station's clock, in the UI's language: clock time at
 * second, minute and hour scale (`09:30:05`, `09:30`), the day or month at day and month scale
 * (`1 Mar` / `3月1日`), the year above that. A tick that opens a new day (or year) also carries
 * it, so every stretch of the axis says which date it is. Written out rather than left to
 * `Intl`, whose English and Chinese forms vary between browser builds.
 */

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

const pad = (n: number) => String(n).padStart(2, '0');

interface LocalParts {
  year: number;
  /** 0–11. */
  month: number;
  day: number;
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
}

function localParts(atMs: number, offsetMinutesAt: (atMs: number) => number): LocalParts {
  const d = new Date(atMs + offsetMinutesAt(atMs) * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
  };
}

export function tickLabel(
  atMs: number,
  unit: TickUnit,
  locale: Locale,
  offsetMinutesAt: (atMs: number) => number,
): string {
  const p = localParts(atMs, offsetMinutesAt);
  const zh = locale === 'zh-CN';
  switch (unit) {
    case 'second':
      return `${pad(p.hours)}:${pad(p.minutes)}:${pad(p.seconds)}`;
    case 'minute':
    case 'hour':
      return `${pad(p.hours)}:${pad(p.minutes)}`;
    case 'day':
      return zh ? `${p.month + 1}月${p.day}日` : `${p.day} ${MONTHS_EN[p.month]}`;
    case 'month':
      return zh ? `${p.month + 1}月` : MONTHS_EN[p.month]!;
    case 'year':
      return zh ? `${p.year}年` : String(p.year);
  }
}

/** The day (under clock ticks) or year (under day and month ticks) a tick opens; null above. */
export function tickContext(
  atMs: number,
  unit: TickUnit,
  locale: Locale,
  offsetMinutesAt: (atMs: number) => number,
): string | null {
  const p = localParts(atMs, offsetMinutesAt);
  const zh = locale === 'zh-CN';
  switch (unit) {
    case 'second':
    case 'minute':
    case 'hour':
      return zh
        ? `${p.year}年${p.month + 1}月${p.day}日 ${WEEKDAYS_ZH[p.weekday]}`
        : `${WEEKDAYS_EN[p.weekday]} ${p.day} ${MONTHS_EN[p.month]} ${p.year}`;
    case 'day':
    case 'month':
      return zh ? `${p.year}年` : String(p.year);
    case 'year':
      return null;
  }
}
