import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { keyFingerprint } from './fingerprint';

/**
 * The keys a station recognises, read without opening an engine and without writing anything:
 * `verify --data DIR` must work beside a running station and leave no trace. The station's own
 * public key is `<data>/keys/station.pub.pem`; keys an admin imported are rows of `trusted_keys`
 * in `<data>/station.db`. A station from before keys existed has neither, which is not an error:
 * it just knows no key.
 */

export interface KnownKeySet {
  /** Fingerprint of this station's own key, or null when it has none yet. */
  station: string | null;
  /** Fingerprints of the imported keys, recomputed from each stored public key. */
  imported: string[];
}

export const STATION_PUBLIC_KEY_FILE = join('keys', 'station.pub.pem');
export const STATION_DB_FILE = 'station.db';

async function readStationKey(dataDir: string): Promise<string | null> {
  let pem: string;
  try {
    pem = await readFile(join(dataDir, STATION_PUBLIC_KEY_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return keyFingerprint(pem);
}

function readImported(dataDir: string, nativeBinding: string | undefined): string[] {
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, STATION_DB_FILE), {
      readonly: true,
      fileMustExist: true,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'SQLITE_CANTOPEN') return [];
    throw error;
  }
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trusted_keys'").get();
    if (!table) return [];
    const rows = db.prepare('SELECT public_key_pem FROM trusted_keys').all() as Array<{ public_key_pem: string }>;
    const fingerprints = new Set<string>();
    // The fingerprint is recomputed from the key itself rather than trusted from its column.
    for (const row of rows) {
      try {
        fingerprints.add(keyFingerprint(row.public_key_pem));
      } catch {
        // A row that is not a key recognises nothing.
      }
    }
    return [...fingerprints];
  } finally {
    db.close();
  }
}

export async function readKnownKeys(dataDir: string, opts: { nativeBinding?: string } = {}): Promise<KnownKeySet> {
  return { station: await readStationKey(dataDir), imported: readImported(dataDir, opts.nativeBinding) };
}
