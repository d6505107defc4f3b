import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Settings } from '../../shared/schemas';
import type { ReadableDB, WritableDB } from '../db/database';
import { DEFAULT_FILE_NAME_PATTERNS } from '../media/probe/fileNamePatterns';

function getValue(db: ReadableDB, key: string): string | null {
  const row = db.prepare('SELECT value FROM station WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

function setValue(db: WritableDB, key: string, value: string): void {
  db.prepare(
    'INSERT INTO station (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/** The station's identity, made once when the data directory is first opened and never changed. */
/** The station's id, read only: null on a database that never opened as a station. */
export function readStationId(db: ReadableDB): string | null {
  return getValue(db, 'station_id');
}

export function ensureStationId(db: WritableDB): string {
  const existing = getValue(db, 'station_id');
  if (existing) return existing;
  const id = randomUUID();
  setValue(db, 'station_id', id);
  return id;
}

export function defaultSettings(): Settings {
  const stationName = hostname().slice(0, 64) || 'station';
  return {
    locale: 'zh-CN',
    lockAfterMinutes: 15,
    fileNamePatterns: DEFAULT_FILE_NAME_PATTERNS,
    stationName,
    officeName: stationName,
    caseNumberFormat: 'ZF-{YYYY}-{SEQ:5}',
    importRoots: [],
    sessionHours: 12,
  };
}

export function readSettings(db: ReadableDB): Settings {
  const stored = getValue(db, 'settings');
  const defaults = defaultSettings();
  if (!stored) return defaults;
  const parsed = Settings.partial().safeParse(JSON.parse(stored));
  const merged = { ...defaults, ...(parsed.success ? parsed.data : {}) };
  // Stations from before the office name existed: it defaults to their own name, not the host's.
  return parsed.success && parsed.data.officeName === undefined
    ? { ...merged, officeName: merged.stationName }
    : merged;
}

export function writeSettings(db: WritableDB, settings: Settings): void {
  setValue(db, 'settings', JSON.stringify(Settings.parse(settings)));
}
