import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { SyncError } from './syncError';

/** JSON bodies the foundation's routes accept are small; commits pass their own, larger limit. */
export const DEFAULT_JSON_LIMIT_BYTES = 64 * 1024;

export interface RawBody {
  bytes: Buffer;
  sha256: string;
}

/**
 * Reads a whole request body, refusing it (413) as soon as it passes `limitBytes`, so an endless
 * body costs no more memory than the limit. Hashes as it reads: the signed-request check needs the
 * SHA-256 of the exact bytes.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<RawBody> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > limitBytes) {
      req.resume();
      reject(tooLarge(limitBytes));
      return;
    }
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limitBytes) {
        done = true;
        req.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      hash.update(chunk);
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks, size), sha256: hash.digest('hex') });
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

function tooLarge(limitBytes: number): SyncError {
  return new SyncError('request.invalid', `body larger than ${limitBytes} bytes`, { status: 413 });
}

/** Parses bytes as JSON and then with the schema; anything else is `request.invalid`. */
export function parseJson<S extends z.ZodType>(bytes: Buffer, schema: S): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new SyncError('request.invalid', 'the body is not UTF-8 JSON');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SyncError('request.invalid', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  }
  return parsed.data as z.infer<S>;
}

export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  limitBytes = DEFAULT_JSON_LIMIT_BYTES,
): Promise<z.infer<S>> {
  requireJsonContentType(req);
  const body = await readBody(req, limitBytes);
  return parseJson(body.bytes, schema);
}

/** Refuses bodies that do not say they are JSON: a browser form cannot then post to a JSON route. */
export function requireJsonContentType(req: IncomingMessage): void {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new SyncError('request.invalid', `content-type ${type || '(none)'}`, { status: 415 });
}
