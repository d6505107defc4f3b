import { createHash, sign, type KeyObject } from 'node:crypto';
import { requestSigningText, SIGNATURE_HEADERS, UNSIGNED_PAYLOAD } from '../../shared/syncProtocol';

/**
 * The station's half of a signed request (server/PROTOCOL.md, "Signed requests"): the four
 * `X-Station-*` headers for one request, signed with the station's Ed25519 private key. Pure:
 * the caller fetches the nonce and sends the request.
 */
export interface RequestToSign {
  method: string;
  /** Path and query exactly as they will be sent on the request line, e.g. `/api/v1/commit`. */
  pathAndQuery: string;
  stationId: string;
  nonce: string;
  /** The exact body bytes, or `UNSIGNED-PAYLOAD` for a tus `PATCH` whose bytes are checked by hash later. */
  body: Uint8Array | typeof UNSIGNED_PAYLOAD;
}

export type SignatureHeaders = Record<(typeof SIGNATURE_HEADERS)[keyof typeof SIGNATURE_HEADERS], string>;

export function bodySha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

export function signRequest(privateKey: KeyObject, request: RequestToSign): SignatureHeaders {
  const bodyHash = request.body === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : bodySha256(request.body);
  const text = requestSigningText({
    method: request.method,
    pathAndQuery: request.pathAndQuery,
    stationId: request.stationId,
    nonce: request.nonce,
    bodySha256: bodyHash,
  });
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  return {
    [SIGNATURE_HEADERS.station]: request.stationId,
    [SIGNATURE_HEADERS.nonce]: request.nonce,
    [SIGNATURE_HEADERS.bodySha256]: bodyHash,
    [SIGNATURE_HEADERS.signature]: signature.toString('base64'),
  };
}
