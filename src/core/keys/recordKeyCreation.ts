import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import type { CustodyEntry } from '../../shared/schemas';
import type { AppendEntry } from '../custody/guardedAppend';
import { inTransaction, type ReadableDB, type WritableDB } from '../db/database';
import type { StationKey } from './stationKey';
import { keyPaths } from './stationKey';

/**
 * Puts the station key's fingerprint into the custody chain (`key.create`, by the station itself),
 * once: at `init`, and at the first start of a station whose key was made before this entry
 * existed (`recordedAtStart` then says so). From then on the chain anchors which key is the
 * station's own, so a public key file replaced later disagrees with a hashed, checkpointed entry.
 * A start whose key disagrees with that entry is refused (`key.damaged`): nothing is signed with it.
 */
export async function recordKeyCreation(
  db: WritableDB,
  key: StationKey,
  opts: { dataDir: string; at: string; station: string; append: AppendEntry; keyWasThere: boolean },
): Promise<CustodyEntry | null> {
  const recorded = newestKeyCreation(db);
  if (recorded !== null) {
    if (recorded.fingerprint !== key.fingerprint) {
      throw new AppError('key.damaged', { folder: keyPaths(opts.dataDir).dir, file: 'station.pub.pem' });
    }
    return null;
  }
  const createdAt = await keyCreatedAt(opts.dataDir);
  return inTransaction(db, () => {
    if (newestKeyCreation(db) !== null) return null;
    return opts.append({
      at: opts.at,
      station: opts.station,
      actor: 'station',
      action: 'key.create',
      subject: null,
      sha256: null,
      details: {
        fingerprint: key.fingerprint,
        algorithm: 'ed25519',
        protection: key.protection,
        publicKeyPem: key.publicKeyPem,
        keyCreatedAt: createdAt,
        // The key is older than this entry: a station from before key creation was recorded.
        recordedAtStart: opts.keyWasThere,
      },
    });
  });
}

/** The fingerprint the chain's newest `key.create` entry names; null when the chain has none. */
export function newestKeyCreation(db: ReadableDB): { fingerprint: unknown } | null {
  const row = db.prepare("SELECT details FROM custody WHERE action = 'key.create' ORDER BY seq DESC LIMIT 1").get() as
    { details: string } | undefined;
  if (!row) return null;
  try {
    return JSON.parse(row.details) as { fingerprint: unknown };
  } catch {
    return { fingerprint: null };
  }
}

async function keyCreatedAt(dataDir: string): Promise<string | null> {
  try {
    const record = JSON.parse(await readFile(keyPaths(dataDir).record, 'utf8')) as { createdAt?: unknown };
    return typeof record.createdAt === 'string' ? record.createdAt : null;
  } catch {
    return null;
  }
}
