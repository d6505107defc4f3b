import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyFingerprint } from '../../src/core/keys/fingerprint';
import { parseEnrolCode, type EnrolRequest, type EnrolResponse } from '../../src/shared/syncProtocol';
import type { Sql } from '../db/sql';
import { SyncError } from '../http/syncError';
import { findStation, insertStation } from '../stations/stationsRepo';
import { claimEnrolCode, markEnrolCodeUsed } from './enrolCodes';

/**
 * Enrols a station with a one-time code. The code and the station row change in one transaction:
 * a refusal uses up nothing. A station that enrols again with the same key (it lost its answer)
 * gets the same answer and uses the new code; another key under the same id is refused, and a
 * revoked station stays revoked.
 */
export async function enrolStation(
  sql: Sql,
  request: EnrolRequest,
  serverKeyFingerprint: string,
  now: Date,
): Promise<EnrolResponse> {
  const parsed = parseEnrolCode(request.code);
  if (!parsed || parsed.serverKeyFingerprint !== serverKeyFingerprint) {
    throw new SyncError('enrol.codeInvalid', 'the code names another server key');
  }
  const publicKey = parseStationKey(request.publicKeyPem);
  const fingerprint = keyFingerprint(publicKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const answer = await sql.transaction(async (tx) => {
    const codeId = await claimEnrolCode(tx, parsed.secret, now);
    if (codeId === null) throw new SyncError('enrol.codeInvalid', 'unknown, used or expired code');
    const inserted = await insertStation(tx, {
      id: request.stationId,
      name: request.stationName,
      publicKeyPem,
      keyFingerprint: fingerprint,
      enrolledAt: now,
    });
    if (!inserted) {
      // Enrolled before (or by a simultaneous request, which this insert waited for).
      const existing = await findStation(tx, request.stationId, { forUpdate: true });
      if (!existing || existing.keyFingerprint !== fingerprint) {
        throw new SyncError('enrol.stationExists', request.stationId);
      }
      if (existing.revokedAt) throw new SyncError('station.revoked', request.stationId);
    }
    await markEnrolCodeUsed(tx, codeId, request.stationId, now);
    return { stationId: request.stationId, serverKeyFingerprint };
  });
  // The station pins this server once it has the answer: its enrolment must outlive a power cut.
  await sql.flushToDisk();
  return answer;
}

function parseStationKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new SyncError('request.invalid', 'publicKeyPem is not a public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SyncError('request.invalid', 'publicKeyPem is not Ed25519');
  return key;
}
