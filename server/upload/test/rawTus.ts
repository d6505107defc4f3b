import { signRequest } from '../../../src/core/sync/signRequest';
import { UNSIGNED_PAYLOAD } from '../../../src/shared/syncProtocol';
import { fetchNonce, type TestStationKeys } from '../../test/testStation';

/**
 * tus requests one at a time, signed as the station signs them, for tests that must act on the
 * server's files between two requests of one upload (tus-js-client sends them back to back).
 */
async function signed(
  baseUrl: string,
  station: TestStationKeys,
  url: string,
  init: { method: 'POST' | 'PATCH'; headers: Record<string, string>; body?: Buffer },
): Promise<Response> {
  const target = new URL(url);
  const nonce = await fetchNonce(baseUrl, station.id);
  const auth = signRequest(station.privateKey, {
    method: init.method,
    pathAndQuery: `${target.pathname}${target.search}`,
    stationId: station.id,
    nonce,
    body: init.method === 'PATCH' ? UNSIGNED_PAYLOAD : new Uint8Array(0),
  });
  return fetch(url, {
    method: init.method,
    headers: { 'Tus-Resumable': '1.0.0', ...init.headers, ...auth },
    ...(init.body ? { body: init.body } : {}),
  });
}

/** Creates an upload of `size` bytes promised to hash to `sha256`; returns its absolute URL. */
export async function createUpload(
  baseUrl: string,
  station: TestStationKeys,
  file: { sha256: string; size: number; name: string },
): Promise<string> {
  const metadata = [
    `sha256 ${Buffer.from(file.sha256).toString('base64')}`,
    `name ${Buffer.from(file.name).toString('base64')}`,
  ];
  const res = await signed(baseUrl, station, `${baseUrl}/api/v1/uploads/`, {
    method: 'POST',
    headers: { 'Upload-Length': String(file.size), 'Upload-Metadata': metadata.join(',') },
  });
  if (res.status !== 201) throw new Error(`upload not created: ${res.status} ${await res.text()}`);
  return new URL(res.headers.get('location')!, `${baseUrl}/api/v1/uploads/`).toString();
}

/** One PATCH of `bytes` at `offset`. */
export function patchUpload(
  baseUrl: string,
  station: TestStationKeys,
  url: string,
  offset: number,
  bytes: Buffer,
): Promise<Response> {
  return signed(baseUrl, station, url, {
    method: 'PATCH',
    headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body: bytes,
  });
}
