import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { stationKeyTrust, trustedKeyProblems, type StationKeyTrust } from './keyTrust';

/**
 * The keys a station recognises, read without opening an engine and without writing anything:
 * `verify --data DIR` must work beside a running station and leave no trace. The station's own
 * public key is `<data>/keys/station.pub.pem`; keys an admin imported are rows of `trusted_keys`
 * in `<data>/station.db`. A station from before keys existed has neither, which is not an error:
 * it just knows no key.
 */

export interface KnownKeySet {
  /** Fingerprint of this station's own key, or null when it has none yet or it is refused. */
  station: string | null;
  /** Fingerprints of the imported keys, recomputed from each stored public key. */
  imported: string[];
  /**
   * Keys found but not vouched for (keyTrust.ts): the station's public key file when the key's
   * other records disagree with it, and `trusted_keys` rows that no `key.import` entry backs.
   */
  refused: Array<{ fingerprint: string | null; detail: string }>;
}

export const STATION_PUBLIC_KEY_FILE = join('keys', 'station.pub.pem');
export const STATION_DB_FILE = 'station.db';

/** Above this a closed database is opened in place rather than copied into memory. */
const MAX_IN_MEMORY_DB_BYTES = 256 * 1024 * 1024;

/**
 * Opens the station database without leaving a trace. A read-only connection to a WAL database
 * creates `-wal` and `-shm` files when none exist (the station is not running), so a closed
 * database is read into memory and opened from there; while the station runs those files exist
 * already and a read-only connection sees its latest commits.
 */
export async function openQuietly(file: string, nativeBinding: string | undefined): Promise<Database.Database | null> {
  const binding = nativeBinding ? { nativeBinding } : {};
  const info = await stat(file).catch(() => null);
  if (!info) return null;
  const live = await stat(`${file}-wal`).then(
    () => true,
    () => false,
  );
  if (!live && info.size <= MAX_IN_MEMORY_DB_BYTES) {
    const bytes = await readFile(file);
    // The header marks a WAL database (bytes 18 and 19 = 2), which an in-memory copy cannot be;
    // as a rollback-journal database (1) the same pages read the same.
    if (bytes.length >= 100 && bytes[18] === 2 && bytes[19] === 2) bytes[18] = bytes[19] = 1;
    return new Database(bytes, binding);
  }
  try {
    return new Database(file, { readonly: true, fileMustExist: true, ...binding });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') return null;
    throw error;
  }
}

export async function readKnownKeys(dataDir: string, opts: { nativeBinding?: string } = {}): Promise<KnownKeySet> {
  const db = await openQuietly(join(dataDir, STATION_DB_FILE), opts.nativeBinding);
  try {
    const refused: KnownKeySet['refused'] = [];
    const own = await stationKeyTrust(dataDir, db);
    if (!own.trusted) for (const detail of own.problems) refused.push({ fingerprint: own.fingerprint, detail });
    const imported = db ? trustedKeyProblems(db) : { good: [], problems: [] };
    for (const p of imported.problems) refused.push({ fingerprint: p.fingerprint, detail: p.detail });
    return { station: own.trusted ? own.fingerprint : null, imported: [...new Set(imported.good)], refused };
  } finally {
    db?.close();
  }
}

/** The verdict on the station's own key (keyTrust.ts), read the same quiet way: for `key show`. */
export async function readStationKeyTrust(
  dataDir: string,
  opts: { nativeBinding?: string } = {},
): Promise<StationKeyTrust> {
  const db = await openQuietly(join(dataDir, STATION_DB_FILE), opts.nativeBinding);
  try {
    return await stationKeyTrust(dataDir, db);
  } finally {
    db?.close();
  }
}
