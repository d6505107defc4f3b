/**
 * How the report writes values. Every function is pure and independent of the host's locale and
 * time zone, so the same case gives the same report on every machine (the report is a sealed,
 * hashed file: one byte of difference would be a different package).
 */

/** A label in both languages; Chinese is printed first. */
export interface Bilingual {
  zh: string;
  en: string;
}

/**
 * Characters that would hide or disguise what a name says: C0/C1 controls, bidirectional
 * overrides (`evil\u202Egpj.exe` reads as `evilexe.jpg`), zero-width characters, line and
 * paragraph separators, and lone surrogates. Each is shown as `[U+XXXX]` instead, the same way in
 * the PDF and the HTML; `case.json` keeps the exact value.
 */
function isDisguising(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

export function visibleText(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    out += isDisguising(cp) ? `[U+${cp.toString(16).toUpperCase().padStart(4, '0')}]` : ch;
  }
  return out;
}

/** Decimal with thin groups of three, never locale-dependent: `1 234 567`. */
export function groupDigits(n: number): string {
  const s = String(Math.trunc(Math.abs(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return n < 0 ? `-${grouped}` : grouped;
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** A size a reader grasps (`12.3 MB`, binary multiples) followed by the exact byte count. */
export function formatBytes(bytes: number): { short: string; exact: string } {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const short = unit === 0 ? `${bytes} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
  return { short, exact: `${groupDigits(bytes)} B` };
}

/**
 * An ISO instant as recorded, with its own offset kept (never converted to the host's zone):
 * `2026-03-14T10:20:30.000+08:00` → `2026-03-14 10:20:30 +08:00`. Milliseconds stay when set.
 */
export function formatInstant(iso: string | null): string {
  if (iso === null) return '—';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i.exec(iso);
  if (!m) return visibleText(iso);
  const [, date, time, fraction, zone] = m;
  const frac = fraction && /[1-9]/.test(fraction) ? fraction : '';
  const offset = zone === undefined || zone.toUpperCase() === 'Z' ? 'UTC' : zone;
  return `${date} ${time}${frac} ${offset}`;
}

/** Media time in seconds as `h:mm:ss.mmm` (what players show), rounded to the millisecond. */
export function formatMediaTime(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  const totalMs = Math.round(Math.max(0, sec) * 1000);
  const ms = totalMs % 1000;
  const s = Math.floor(totalMs / 1000) % 60;
  const m = Math.floor(totalMs / 60_000) % 60;
  const h = Math.floor(totalMs / 3_600_000);
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(ms).padStart(3, '0')}`;
}

export function formatRange(fromSec: number | null, toSec: number | null): string {
  if (fromSec === null && toSec === null) return '—';
  if (toSec === null || toSec === fromSec) return formatMediaTime(fromSec);
  return `${formatMediaTime(fromSec)} – ${formatMediaTime(toSec)}`;
}

/** The first 12 hex digits: enough to find an entry, not to prove anything (the full hash is in the package). */
export function shortHash(hash: string | null): string {
  return hash === null ? '—' : hash.slice(0, 12);
}
