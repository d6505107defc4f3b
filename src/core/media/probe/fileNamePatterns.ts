import type { FileNamePattern } from '../../../shared/schemas';
import { isValidLocalDateTime, type LocalDateTime } from './recordedTime';

/**
 * Reads device number, officer number and recording time out of camera file names with
 * configurable named-group regexes (`device`, `officer`, `time`). The first pattern that matches
 * the base name wins. Patterns are compiled case-insensitively with the `u` flag.
 */

/** Shipped defaults; the station's settings start with these and may replace them. Order matters. */
export const DEFAULT_FILE_NAME_PATTERNS: FileNamePattern[] = [
  {
    // GA/T 947 style body-cam names: DSJ-A8_012345_20260301093000_0001.MP4
    name: 'bodycam-device-officer-time',
    regex: String.raw`^(?<device>[A-Z0-9][A-Z0-9-]*)_(?<officer>\d{4,10})_(?<time>\d{14})(?:_\w+)?\.\w+$`,
  },
  {
    // Device first, officer last: DS-MCW406_20260301093000_012345.mp4
    name: 'bodycam-device-time-officer',
    regex: String.raw`^(?<device>[A-Z][A-Z0-9-]*)_(?<time>\d{14})_(?<officer>\d{4,10})(?:_\w+)?\.\w+$`,
  },
  {
    // Officer and time: 012345_20260301093000_0001.mp4
    name: 'bodycam-officer-time',
    regex: String.raw`^(?<officer>\d{4,10})_(?<time>\d{14})(?:_\w+)?\.\w+$`,
  },
  {
    // Date_time_officer: 20260301_093000_012345.mp4
    name: 'bodycam-date-time-officer',
    regex: String.raw`^(?<time>\d{8}_\d{6})_(?<officer>\d{4,10})(?:_\w+)?\.\w+$`,
  },
  {
    // Phones: VID_20260301_093000.mp4, IMG_20260301_093000.jpg, PXL_20260301_093000123.mp4
    name: 'phone',
    regex: String.raw`^(?:VID|IMG|PXL|MVIMG|MOV)_(?<time>\d{8}_\d{6})`,
  },
  {
    // Bare timestamps: 20260301093000.mp4, 2026-03-01 09-30-00.mp4, 2026_0301_093000_001.MOV
    name: 'timestamp',
    regex: String.raw`^(?<time>\d{4}[-_]?\d{2}[-_]?\d{2}[ _T-]?\d{2}[-:._]?\d{2}[-:._]?\d{2})(?!\d)`,
  },
];

export interface ParsedFileName {
  deviceId?: string;
  officerId?: string;
  localTime?: LocalDateTime;
  /** Name of the pattern that matched. */
  pattern?: string;
  /** Names of patterns whose regex does not compile; they were skipped. */
  invalidPatterns?: string[];
}

export interface PatternProblem {
  name: string;
  message: string;
}

const compiled = new Map<string, RegExp | PatternProblem>();

function compile(pattern: FileNamePattern): RegExp | PatternProblem {
  const cached = compiled.get(pattern.regex);
  if (cached) return cached instanceof RegExp ? cached : { name: pattern.name, message: cached.message };
  let result: RegExp | PatternProblem;
  try {
    result = new RegExp(pattern.regex, 'iu');
  } catch (error) {
    result = { name: pattern.name, message: error instanceof Error ? error.message : String(error) };
  }
  compiled.set(pattern.regex, result);
  return result;
}

/** The patterns whose regex does not compile, with the engine's message; for the settings screen. */
export function validateFileNamePatterns(patterns: FileNamePattern[]): PatternProblem[] {
  return patterns.map(compile).filter((r): r is PatternProblem => !(r instanceof RegExp));
}

/** Parses a file's base name (any directory part is dropped). Never throws. */
export function parseFileName(name: string, patterns: FileNamePattern[]): ParsedFileName {
  const base = name.split(/[\\/]/).pop() ?? name;
  const invalid: string[] = [];
  for (const pattern of patterns) {
    const regex = compile(pattern);
    if (!(regex instanceof RegExp)) {
      invalid.push(pattern.name);
      continue;
    }
    const groups = regex.exec(base)?.groups;
    if (!groups) continue;
    const result: ParsedFileName = { pattern: pattern.name };
    if (groups.device) result.deviceId = groups.device;
    if (groups.officer) result.officerId = groups.officer;
    const localTime = parseTimeGroup(groups.time);
    if (localTime) result.localTime = localTime;
    if (invalid.length > 0) result.invalidPatterns = invalid;
    return result;
  }
  return invalid.length > 0 ? { invalidPatterns: invalid } : {};
}

/** `20260301093000`, `20260301_093000`, `2026-03-01 09:30:00`, … → wall clock; null if not a real date. */
export function parseTimeGroup(text: string | undefined): LocalDateTime | null {
  const digits = (text ?? '').replace(/\D/g, '');
  if (digits.length < 14) return null;
  const n = (from: number, to: number) => Number(digits.slice(from, to));
  const time = { y: n(0, 4), m: n(4, 6), d: n(6, 8), h: n(8, 10), mi: n(10, 12), s: n(12, 14) };
  return isValidLocalDateTime(time) ? time : null;
}
