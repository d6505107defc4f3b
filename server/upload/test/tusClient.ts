import { createReadStream } from 'node:fs';
import { DetailedError, Upload } from 'tus-js-client';
import { signRequest } from '../../../src/core/sync/signRequest';
import { UNSIGNED_PAYLOAD } from '../../../src/shared/syncProtocol';
import { fetchNonce, type TestStationKeys } from '../../test/testStation';

export interface FileToSend {
  path: string;
  sha256: string;
  size: number;
  /** The file's path in the package (Upload-Metadata `name`). */
  name: string;
}

export interface TusOutcome {
  /** The upload's URL as the client knows it (against the base it used). */
  url: string | null;
  /** Null on success; else the HTTP status of the refusal (0 for a network failure). */
  failedStatus: number | null;
  failedBody: string | null;
}

/**
 * One file sent with tus-js-client (the client the station uses), every request signed with a
 * fresh nonce in `onBeforeRequest` as server/PROTOCOL.md says (PATCH with `UNSIGNED-PAYLOAD`).
 * `uploadUrl` resumes an upload; `retryDelays` lets tus-js-client resume by itself after a cut.
 */
export function tusSend(
  baseUrl: string,
  station: TestStationKeys,
  file: FileToSend,
  options: {
    uploadUrl?: string;
    /** Resume `uploadUrl` or fail: no new upload is created when the server does not know it. */
    resumeOnly?: boolean;
    chunkSize?: number;
    retryDelays?: number[] | null;
    nonceBase?: string;
  } = {},
): Promise<TusOutcome> {
  return new Promise((resolve) => {
    let url: string | null = options.uploadUrl ?? null;
    // tus-js-client's Node build reads an fs.ReadStream by re-opening its path for each slice; its
    // types list only the browser's inputs and Buffer.
    const input = createReadStream(file.path) as unknown as ConstructorParameters<typeof Upload>[0];
    const upload = new Upload(input, {
      ...(options.resumeOnly ? {} : { endpoint: `${baseUrl}/api/v1/uploads/` }),
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      uploadSize: file.size,
      metadata: { sha256: file.sha256, name: file.name },
      chunkSize: options.chunkSize ?? Number.POSITIVE_INFINITY,
      retryDelays: options.retryDelays === undefined ? null : options.retryDelays,
      storeFingerprintForResuming: false,
      async onBeforeRequest(req) {
        const target = new URL(req.getURL());
        const method = req.getMethod();
        const nonce = await fetchNonce(options.nonceBase ?? baseUrl, station.id);
        const headers = signRequest(station.privateKey, {
          method,
          pathAndQuery: `${target.pathname}${target.search}`,
          stationId: station.id,
          nonce,
          body: method === 'PATCH' ? UNSIGNED_PAYLOAD : new Uint8Array(0),
        });
        for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
      },
      onUploadUrlAvailable() {
        url = upload.url;
      },
      onSuccess() {
        resolve({ url: upload.url ?? url, failedStatus: null, failedBody: null });
      },
      onError(error) {
        const res = error instanceof DetailedError ? error.originalResponse : null;
        resolve({
          url: upload.url ?? url,
          failedStatus: res ? res.getStatus() : 0,
          failedBody: res ? res.getBody() : String(error),
        });
      },
    });
    upload.start();
  });
}
