import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallContext, Engine, Logger } from '../core/engineApi';
import { isMethodName } from '../shared/contract';
import { AppError, serializeError, httpStatusOf } from '../shared/errors';
import { sendError, sendJson } from './respond';

export const MAX_BODY_BYTES = 1024 * 1024;
export const SESSION_HEADER = 'x-station-session';

class BodyTooLargeError extends Error {}

/** Reads the request body up to `limit` bytes; a larger body is refused before it is buffered. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError();
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new BodyTooLargeError();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && header.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** The session a request speaks for: the header for calls, `?s=` where a header cannot be set (media). */
export function readSessionId(req: IncomingMessage, fallback?: string | null): string | null {
  const header = req.headers[SESSION_HEADER];
  const value = typeof header === 'string' && header !== '' ? header : (fallback ?? null);
  return value !== null && value.length <= 256 ? value : null;
}

/**
 * Logs an unexpected failure under a reference the user can quote, and answers `internal` with
 * only that reference: stacks and messages stay in the log.
 */
export function reportUnexpected(res: ServerResponse, log: Logger, error: unknown, where: string): void {
  const ref = randomUUID().slice(0, 8);
  log.error('web host: unexpected error', {
    ref,
    where,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  if (!res.headersSent) sendError(res, 'internal', { ref });
  else res.destroy();
}

/** `POST /api/call/<method>`: one generic handler for every contract method; the engine validates input. */
export async function handleCall(
  req: IncomingMessage,
  res: ServerResponse,
  methodSegment: string,
  engine: Engine,
  log: Logger,
): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('Allow', 'POST');
    sendError(res, 'method.unknown', { method: methodSegment }, 405);
    return;
  }
  if (!isMethodName(methodSegment)) {
    sendError(res, 'method.unknown', { method: methodSegment.slice(0, 100) });
    return;
  }
  // Requiring JSON also keeps out plain HTML form posts, which cannot set this type without a preflight.
  if (!isJsonContentType(req.headers['content-type'])) {
    sendError(res, 'input.invalid', { reason: 'contentType' });
    return;
  }

  let input: unknown;
  try {
    const text = await readBody(req, MAX_BODY_BYTES);
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      res.setHeader('Connection', 'close');
      sendError(res, 'input.invalid', { reason: 'tooLarge', limit: MAX_BODY_BYTES }, 413);
    } else if (error instanceof SyntaxError) {
      sendError(res, 'input.invalid', { reason: 'json' });
    } else {
      reportUnexpected(res, log, error, `read body of ${methodSegment}`);
    }
    return;
  }

  // Failed sign-ins are throttled per client; the web host knows a client by its address.
  const ctx: CallContext = {
    sessionId: readSessionId(req),
    via: 'http',
    client: `http:${req.socket.remoteAddress ?? 'unknown'}`,
  };
  try {
    const value = await engine.call(methodSegment, input, ctx);
    sendJson(res, 200, { ok: true, value });
  } catch (error) {
    if (!(error instanceof AppError)) {
      reportUnexpected(res, log, error, `call ${methodSegment}`);
      return;
    }
    const serialized = serializeError(error);
    sendJson(res, httpStatusOf(serialized.code), { ok: false, error: serialized });
  }
}
