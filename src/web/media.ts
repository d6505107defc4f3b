import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Engine, Logger } from '../core/engineApi';
import { MediaVariant } from '../shared/contract';
import { AppError } from '../shared/errors';
import { parseMediaPart } from '../shared/mediaUrl';
import { formatContentRange, parseRangeHeader } from '../shared/range';
import { readSessionId, reportUnexpected } from './rpc';
import { sendError } from './respond';

/**
 * `GET|HEAD /media/<itemId>/<variant>?s=<sessionId>[&part=<n>]`: streams evidence by opaque id with Range
 * support, because `<video>` seeks by asking for byte ranges and breaks without 206 answers.
 * The session comes from the query since a media element cannot set headers.
 */
export async function handleMedia(
  req: IncomingMessage,
  res: ServerResponse,
  segments: readonly string[],
  query: URLSearchParams,
  engine: Engine,
  log: Logger,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    sendError(res, 'media.notFound', {}, 405);
    return;
  }
  const [rawItemId, rawVariant] = segments;
  const variant = MediaVariant.safeParse(rawVariant);
  const part = variant.success ? parseMediaPart(query.get('part'), variant.data) : 'invalid';
  if (segments.length !== 2 || rawItemId === undefined || rawItemId === '' || !variant.success || part === 'invalid') {
    sendError(res, 'media.notFound');
    return;
  }

  let handle: FileHandle | undefined;
  try {
    const media = await engine.openMedia(
      rawItemId,
      variant.data,
      { sessionId: readSessionId(req, query.get('s')), via: 'http' },
      part,
    );
    handle = await open(media.path, 'r');
    // The size of the file we actually opened, not of the record, so Content-Length cannot lie.
    const { size } = await handle.stat();
    res.setHeader('Accept-Ranges', 'bytes');
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Type', media.mimeType);

    const range = parseRangeHeader(req.headers.range, size);
    if (range.kind === 'unsatisfiable') {
      res.statusCode = 416;
      res.setHeader('Content-Range', `bytes */${size}`);
      res.end();
      return;
    }
    const start = range.kind === 'partial' ? range.start : 0;
    const end = range.kind === 'partial' ? range.end : size - 1;
    res.statusCode = range.kind === 'partial' ? 206 : 200;
    if (range.kind === 'partial') res.setHeader('Content-Range', formatContentRange(start, end, size));
    res.setHeader('Content-Length', size === 0 ? 0 : end - start + 1);
    if (req.method === 'HEAD' || size === 0) {
      res.end();
      return;
    }

    const stream = handle.createReadStream({ start, end, autoClose: true });
    handle = undefined; // the stream owns and closes it now
    await pipeline(stream, res).catch((error: unknown) => {
      // A player that seeks drops its previous request mid-stream; that is normal, not a failure.
      if (isClientAbort(error, res)) return;
      throw error;
    });
  } catch (error) {
    if (error instanceof AppError) sendError(res, error.code, error.params);
    else if (isMissingFile(error)) {
      // The engine vouched for this file a moment ago: a vanished store file is worth a log line.
      log.warn('web host: media file missing', { itemId: rawItemId, variant: variant.data });
      sendError(res, 'media.notFound');
    } else reportUnexpected(res, log, error, `media ${rawItemId}/${variant.data}`);
  } finally {
    await handle?.close();
  }
}

function isClientAbort(error: unknown, res: ServerResponse): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return res.destroyed || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET' || code === 'EPIPE';
}

function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
