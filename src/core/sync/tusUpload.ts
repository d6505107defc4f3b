import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { HttpRequest } from 'tus-js-client';
import { AppError } from '../../shared/errors';
import { UNSIGNED_PAYLOAD } from '../../shared/syncProtocol';
import type { ServerClient } from './serverClient';
import { SyncFailure, asSyncFailure } from './syncFailure';
import { throttledStream, type BandwidthLimiter } from './throttle';

/**
 * Uploads one file of a sealed package with tus 1.0 (tus-js-client, Node build). Resumes from the
 * stored upload URL: tus-js-client asks the server (`HEAD`) for its offset and sends only what is
 * missing, so a cut, a killed station or a restarted server costs at most the bytes in flight.
 * Every request is signed with a fresh nonce in `onBeforeRequest` (PROTOCOL.md). tus-js-client
 * does not retry on its own here: the outbox decides when to try again (backoff, kept in SQLite).
 */

export interface UploadFileInput {
  client: ServerClient;
  /** Absolute path of the file in the sealed package. */
  filePath: string;
  /** The file's path in the package (sent as `name`, for the server's log). */
  name: string;
  sha256: string;
  size: number;
  /** The upload URL a previous attempt was given, if any. */
  uploadUrl: string | null;
  limiter: BandwidthLimiter;
  signal: AbortSignal;
  /** Bytes per PATCH request: the most one cut can cost. */
  chunkSize: number;
  /** No byte acknowledged for this long: the connection is taken as lost. */
  stallMs: number;
  /** The server gave (or confirmed) this upload URL: store it before any byte is sent. */
  onUploadUrl(url: string): void;
  /** The server confirmed `offset`; `sent` bytes of this request reached it. */
  onConfirmed(offset: number, sent: number): void;
  /** Bytes of the file the server has or is being sent, live. */
  onProgress(bytesDone: number): void;
}

export const UPLOADS_PATH = '/api/v1/uploads/';

/**
 * Bytes per read of the file. A stream's default (64 KiB) makes a gigabyte sixteen thousand
 * reads, socket writes and progress callbacks, which kept the station's CPU busier than the
 * sending itself; three of these in flight (the read stream, the progress counter, the request)
 * is all the memory it costs.
 */
const READ_BYTES = 1024 * 1024;

/**
 * The file's bytes [start, end) as a stream, through the bandwidth limit. tus-js-client's Node
 * HTTP stack sends a stream's `size` as the request's Content-Length, so it is set here.
 */
function sliceStream(
  path: string,
  size: number,
  start: number,
  end: number,
  limiter: BandwidthLimiter,
): Readable & { size: number } {
  const last = Math.min(end, size);
  const raw =
    last > start ? createReadStream(path, { start, end: last - 1, highWaterMark: READ_BYTES }) : Readable.from([]);
  let body: Readable = raw;
  if (limiter.pieceBytes() !== Infinity) {
    const throttled = throttledStream(limiter);
    // A read error must reach the request (pipe alone would leave it waiting for bytes).
    raw.on('error', (error: Error) => throttled.destroy(error));
    body = raw.pipe(throttled);
  }
  return Object.assign(body, { size: last - start });
}

/**
 * What tus-js-client's error says the server answered, as the outbox's reason. A failure of our
 * own `onBeforeRequest` (no nonce: a revoked station; a key that cannot sign) comes back as the
 * error's cause and is passed on as it was.
 */
function failureOfTusError(error: unknown): unknown {
  const detailed = error as {
    originalResponse?: { getStatus(): number; getBody(): string } | null;
    causingError?: unknown;
  };
  const response = detailed.originalResponse;
  if (!response) {
    const cause = detailed.causingError;
    if (cause instanceof SyncFailure || cause instanceof AppError) return cause;
    return asSyncFailure(cause ?? error);
  }
  const status = response.getStatus();
  let code: string | null = null;
  let message = '';
  try {
    const body = JSON.parse(response.getBody()) as { error?: { code?: unknown; message?: unknown } };
    code = typeof body.error?.code === 'string' ? body.error.code : null;
    message = typeof body.error?.message === 'string' ? body.error.message : '';
  } catch {
    code = null;
  }
  const known = [
    'upload.hashMismatch',
    'upload.notFound',
    'auth.nonce',
    'auth.signature',
    'station.unknown',
    'station.revoked',
    'request.invalid',
  ] as const;
  const match = known.find((k) => k === code);
  if (match) return new SyncFailure(match, message || `HTTP ${status}`, { status });
  if (status === 460) return new SyncFailure('upload.hashMismatch', message || 'HTTP 460', { status });
  if (status === 404 || status === 410) return new SyncFailure('upload.notFound', `HTTP ${status}`, { status });
  return new SyncFailure('server', `HTTP ${status} ${message}`.trim(), { status });
}

export async function uploadFile(input: UploadFileInput): Promise<void> {
  const { client, signal } = input;
  // Loaded by the first upload, not with the engine: only sync uploads, and most commands never do.
  const { Upload } = await import('tus-js-client');
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    let lastActivity = Date.now();
    const finish = (error: unknown | null): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      signal.removeEventListener('abort', onAbort);
      if (error === null) resolve();
      else reject(error);
    };
    // tus-js-client wants an input; the file reader below reads the package file itself, by path,
    // one slice per request, so nothing of it is held in memory.
    const upload = new Upload(Buffer.alloc(0), {
      fingerprint: async () => `sha256:${input.sha256}`,
      endpoint: client.url(UPLOADS_PATH).toString(),
      ...(input.uploadUrl ? { uploadUrl: input.uploadUrl } : {}),
      uploadSize: input.size,
      metadata: { sha256: input.sha256, name: input.name },
      chunkSize: input.chunkSize,
      retryDelays: [],
      storeFingerprintForResuming: false,
      removeFingerprintOnSuccess: false,
      fileReader: {
        openFile: async () => ({
          size: input.size,
          slice: async (start: number, end: number) => {
            const last = Math.min(end, input.size);
            return {
              value: sliceStream(input.filePath, input.size, start, end, input.limiter),
              done: last >= input.size,
            };
          },
          close: () => undefined,
        }),
      },
      onBeforeRequest: async (req: HttpRequest) => {
        const method = req.getMethod();
        const url = new URL(req.getURL());
        const headers = await client.signatureHeaders(
          method,
          url,
          method === 'PATCH' ? UNSIGNED_PAYLOAD : Buffer.alloc(0),
          signal,
        );
        for (const [name, value] of Object.entries(headers)) req.setHeader(name, value);
        lastActivity = Date.now();
      },
      onUploadUrlAvailable: () => {
        if (upload.url) input.onUploadUrl(upload.url);
      },
      onProgress: (bytesSent: number) => {
        lastActivity = Date.now();
        input.onProgress(bytesSent);
      },
      // `chunkSize` is what this request moved the server's offset by: the bytes it took.
      onChunkComplete: (chunkSize: number, bytesAccepted: number) => {
        lastActivity = Date.now();
        input.onConfirmed(bytesAccepted, chunkSize);
      },
      onSuccess: () => finish(null),
      onError: (error: Error) => finish(signal.aborted ? signal.reason : failureOfTusError(error)),
    });
    const onAbort = (): void => {
      void upload.abort(false).catch(() => undefined);
      finish(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    // A connection that hangs without an error (a cable pulled with no reset) would wait forever.
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastActivity < input.stallMs) return;
        void upload.abort(false).catch(() => undefined);
        finish(new SyncFailure('network', `no answer from the server for ${Math.round(input.stallMs / 1000)} s`));
      },
      Math.min(5_000, input.stallMs),
    );
    upload.start();
  });
}
