import { createPublicKey, verify } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { requestSigningText, SIGNATURE_HEADERS, UNSIGNED_PAYLOAD } from '../../src/shared/syncProtocol';
import type { Sql } from '../db/sql';
import { SyncError } from '../http/syncError';
import { findStation, type Station } from '../stations/stationsRepo';
import { consumeNonce } from './nonces';

export interface SignedRequestParts {
  method: string;
  /** The path and query exactly as the request line carried them (`req.url`). */
  pathAndQuery: string;
  headers: IncomingHttpHeaders;
  /**
   * The SHA-256 (hex) of the body bytes as received, or `UNSIGNED-PAYLOAD` for a route that
   * streams its body (tus `PATCH`) and checks it another way; the header must say the same.
   */
  bodySha256: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The check every signed route makes before it reads anything the station sent (server/PROTOCOL.md,
 * "Signed requests"). Order: the headers are well formed, the station is enrolled and not revoked,
 * the signature verifies with its enrolled key over the signing text, the body is the one signed,
 * and only then is the nonce used up — so a forged request cannot burn a station's nonce. Returns
 * the station; throws `SyncError` with `auth.nonce`, `auth.signature`, `station.unknown` or
 * `station.revoked`.
 */
export async function verifyRequest(sql: Sql, parts: SignedRequestParts, now: Date): Promise<Station> {
  const { station, claimedBody, nonce } = await verifySignedHeaders(sql, parts);
  if (claimedBody !== parts.bodySha256) {
    throw new SyncError('auth.signature', `signed body hash ${claimedBody} but the body hashes to ${parts.bodySha256}`);
  }

  if (!(await consumeNonce(sql, nonce, station.id, now))) {
    // Revoked between the two checks: say so rather than blame the nonce.
    const again = await findStation(sql, station.id);
    if (again?.revokedAt) throw new SyncError('station.revoked', station.id);
    throw new SyncError('auth.nonce', `nonce unknown, used or expired for ${station.id}`);
  }
  return station;
}

/**
 * The part of `verifyRequest` that needs no body: the headers are well formed, the station is
 * enrolled and not revoked, and the signature over the body hash the headers claim verifies. A
 * route that reads a large body calls it first, so a request nobody signed is refused before a
 * byte of its body is held in memory. Uses no nonce.
 */
export async function verifySignedHeaders(
  sql: Sql,
  parts: Omit<SignedRequestParts, 'bodySha256'>,
): Promise<{ station: Station; claimedBody: string; nonce: string }> {
  const stationId = header(parts.headers, SIGNATURE_HEADERS.station);
  const nonce = header(parts.headers, SIGNATURE_HEADERS.nonce);
  const claimedBody = header(parts.headers, SIGNATURE_HEADERS.bodySha256);
  const signature = header(parts.headers, SIGNATURE_HEADERS.signature);
  if (!stationId || stationId.length > 200) throw new SyncError('station.unknown', 'no station id header');
  if (!nonce || !HEX64.test(nonce)) throw new SyncError('auth.nonce', 'missing or malformed nonce header');
  if (!claimedBody || (claimedBody !== UNSIGNED_PAYLOAD && !HEX64.test(claimedBody))) {
    throw new SyncError('auth.signature', 'missing or malformed body hash header');
  }
  if (!signature || !BASE64.test(signature)) throw new SyncError('auth.signature', 'missing or malformed signature');
  const signatureBytes = Buffer.from(signature, 'base64');
  if (signatureBytes.length !== 64) throw new SyncError('auth.signature', 'signature is not 64 bytes');

  const station = await findStation(sql, stationId);
  if (!station) throw new SyncError('station.unknown', stationId);
  if (station.revokedAt) throw new SyncError('station.revoked', stationId);

  const text = requestSigningText({
    method: parts.method,
    pathAndQuery: parts.pathAndQuery,
    stationId,
    nonce,
    bodySha256: claimedBody,
  });
  const valid = verify(null, Buffer.from(text, 'utf8'), createPublicKey(station.publicKeyPem), signatureBytes);
  if (!valid) throw new SyncError('auth.signature', `signature does not verify for ${stationId}`);
  return { station, claimedBody, nonce };
}

/** A header sent once; a repeated signature header is refused rather than guessed at. */
function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return typeof value === 'string' ? value.trim() : null;
}
