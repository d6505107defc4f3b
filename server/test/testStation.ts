import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { signRequest } from '../../src/core/sync/signRequest';
import { NonceResponse } from '../../src/shared/syncProtocol';

/**
 * A station as the server sees one: an Ed25519 key pair and the HTTP calls of the protocol, made
 * with the station-side signer. Tests tamper with the parts between signing and sending.
 */
export interface TestStationKeys {
  id: string;
  name: string;
  privateKey: KeyObject;
  publicKeyPem: string;
}

export function makeStationKeys(id: string, name = `Station ${id}`): TestStationKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { id, name, privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export async function enrol(baseUrl: string, station: TestStationKeys, code: string): Promise<Response> {
  return postJson(`${baseUrl}/api/v1/enrol`, {
    code,
    stationId: station.id,
    stationName: station.name,
    publicKeyPem: station.publicKeyPem,
  });
}

export async function fetchNonce(baseUrl: string, stationId: string): Promise<string> {
  const res = await postJson(`${baseUrl}/api/v1/nonce`, { stationId });
  if (res.status !== 200) throw new Error(`nonce refused: ${res.status} ${await res.text()}`);
  return NonceResponse.parse(await res.json()).nonce;
}

/** Signs `body` for `path` and POSTs it; `tamper` may change the headers or body after signing. */
export async function signedPost(
  baseUrl: string,
  station: TestStationKeys,
  path: string,
  body: string,
  options: { nonce?: string; tamper?: (r: { headers: Record<string, string>; body: string }) => void } = {},
): Promise<{ res: Response; nonce: string; headers: Record<string, string>; body: string }> {
  const nonce = options.nonce ?? (await fetchNonce(baseUrl, station.id));
  const signed = signRequest(station.privateKey, {
    method: 'POST',
    pathAndQuery: path,
    stationId: station.id,
    nonce,
    body: Buffer.from(body, 'utf8'),
  });
  const request = { headers: { ...signed } as Record<string, string>, body };
  options.tamper?.(request);
  const res = await postJson(`${baseUrl}${path}`, request.body, request.headers);
  return { res, nonce, headers: request.headers, body: request.body };
}

export async function errorCode(res: Response): Promise<string | undefined> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code;
}
