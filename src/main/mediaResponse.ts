import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Engine, Logger } from '../core/engineApi';
import { AppError, httpStatusOf, serializeError } from '../shared/errors';
import { parseMediaUrl } from '../shared/mediaUrl';
import { formatContentRange, parseRangeHeader } from '../shared/range';

export interface MediaResponderOptions {
  engine: Pick<Engine, 'openMedia'>;
  log: Logger;
  /** The renderer's origin, allowed to `fetch()` media (images and video need no CORS). */
  allowedOrigin: string;
}

/**
 * Answers `evidence://media/<itemId>/<variant>?part=<n>&s=<session>` with the file the engine resolves,
 * honouring Range: 206 with Content-Range for a slice, 416 past the end, 200 for the whole file.
 * Without 206 answers `<video>` cannot seek. The file is streamed, never buffered, and the stream
 * is destroyed when Chromium cancels the request (every seek cancels the previous one).
 *
 * Uses only the web `Request`/`Response` types so that it runs under Vitest without Electron;
 * `mediaProtocol.ts` hands it to `protocol.handle`.
 */
export function createMediaResponder(options: MediaResponderOptions): (request: Request) => Promise<Response> {
  const { engine, log, allowedOrigin } = options;
  const baseHeaders = {
    'Access-Control-Allow-Origin': allowedOrigin,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  };

  const answerError = (error: unknown): Response => {
    const body = serializeError(error);
    return new Response(JSON.stringify({ ok: false, error: body }), {
      status: httpStatusOf(body.code),
      headers: { ...baseHeaders, 'Content-Type': 'application/json; charset=utf-8' },
    });
  };

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { ...baseHeaders, Allow: 'GET, HEAD' } });
    }
    const target = parseMediaUrl(request.url);
    if (!target) return answerError(new AppError('media.notFound'));

    let file;
    try {
      const ctx = { sessionId: target.sessionId, via: 'ipc' } as const;
      file = await engine.openMedia(target.itemId, target.variant, ctx, target.part);
    } catch (error) {
      if (!(error instanceof AppError)) log.error('media open failed', { url: request.url, error: String(error) });
      return answerError(error);
    }

    const headers: Record<string, string> = {
      ...baseHeaders,
      'Accept-Ranges': 'bytes',
      'Content-Type': file.mimeType,
    };
    const range = parseRangeHeader(request.headers.get('range') ?? undefined, file.size);
    if (range.kind === 'unsatisfiable') {
      return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${file.size}` } });
    }
    const [status, start, end] =
      range.kind === 'partial' ? [206, range.start, range.end] : [200, 0, Math.max(0, file.size - 1)];
    headers['Content-Length'] = String(file.size === 0 ? 0 : end - start + 1);
    if (status === 206) headers['Content-Range'] = formatContentRange(start, end, file.size);
    if (request.method === 'HEAD' || file.size === 0) return new Response(null, { status, headers });

    const stream = createReadStream(file.path, { start, end });
    stream.on('error', (error) => log.warn('media stream failed', { itemId: target.itemId, error: error.message }));
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
  };
}
