import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  CommitResponse,
  EnrolResponse,
  HaveResponse,
  NonceResponse,
  SIGNATURE_HEADERS,
  ServerError,
  UNSIGNED_PAYLOAD,
  requestSigningText,
  type CommitRequest,
  type EnrolRequest,
} from '../../shared/syncProtocol';
import { SyncFailure, asSyncFailure } from './syncFailure';

/**
 * The station's HTTP client for the central server (server/PROTOCOL.md). Every call under
 * `/api/v1/` but enrol and nonce is signed with the station key over a fresh server nonce, so a
 * request captured on the wire cannot be replayed. Every answer is parsed with the protocol's
 * schema; a refusal becomes a SyncFailure with the server's code.
 */

export interface StationSigner {
  stationId: string;
  /** Raw 64-byte Ed25519 signature by the station key (never leaves the engine). */
  sign(data: Buffer): Promise<Buffer>;
}

/** No single request waits longer than this for the server's answer. */
const REQUEST_TIMEOUT_MS = 60_000;
/** The commit checks every blob of the case from the disk (a 2 GB case takes a while). */
const COMMIT_TIMEOUT_MS = 30 * 60_000;

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** `base` with a path under it, keeping any path prefix the server is mounted at. */
export function serverUrl(base: string, path: string): URL {
  return new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
}

/** An answer read whole: its status and its body as text. */
interface Answer {
  status: number;
  ok: boolean;
  text: string;
}

/** The server's refusal as a SyncFailure: its code when it sent one, else by the status. */
function failureOf(response: Answer): SyncFailure {
  const text = response.text;
  let parsed: ServerError | null = null;
  try {
    const r = ServerError.safeParse(JSON.parse(text));
    if (r.success) parsed = r.data;
  } catch {
    parsed = null;
  }
  if (parsed) {
    const { code, message, problems } = parsed.error;
    const detail = problems?.length ? `${message} (${problems.join('; ')})` : message;
    return new SyncFailure(code === 'internal' ? 'server' : code, detail, {
      status: response.status,
      final: code === 'commit.refused' || code === 'commit.conflict',
      ...(problems ? { problems } : {}),
    });
  }
  return new SyncFailure('server', `HTTP ${response.status} ${text.slice(0, 200)}`.trim(), { status: response.status });
}

function readJson<S extends z.ZodType>(response: Answer, schema: S): z.output<S> {
  const text = response.text;
  try {
    return schema.parse(JSON.parse(text));
  } catch {
    throw new SyncFailure('server', `an answer the station cannot read: ${text.slice(0, 200)}`, {
      status: response.status,
    });
  }
}

/**
 * One request and its whole answer, within `timeoutMs` from start to the last byte of the body.
 * The timer and the link to the caller's signal are held here until the exchange ends: a signal
 * made with AbortSignal.any() over AbortSignal.timeout() can be collected on Node 20 before it
 * fires, and a request stuck on a half-dead connection then waited for ever.
 */
async function send(
  url: URL,
  init: RequestInit,
  signal?: AbortSignal,
  timeoutMs: number = REQUEST_TIMEOUT_MS,
): Promise<Answer> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(signal?.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () => controller.abort(new SyncFailure('network', `no answer within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  try {
    const response = await fetch(url, { ...init, signal: controller.signal, redirect: 'error' });
    const text = await response.text();
    return { status: response.status, ok: response.ok, text };
  } catch (error) {
    if (signal?.aborted) throw error;
    const reason: unknown = controller.signal.reason;
    if (controller.signal.aborted && reason instanceof SyncFailure) throw reason;
    throw asSyncFailure(error);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The server's public key (PEM), unsigned: the caller compares its fingerprint with the enrolment code's. */
export async function fetchServerKey(base: string, signal?: AbortSignal): Promise<string> {
  const response = await send(serverUrl(base, '/api/server-key'), { method: 'GET' }, signal);
  if (!response.ok) throw failureOf(response);
  const text = response.text;
  if (text.length > 10_000) throw new SyncFailure('server', 'the server key is not a public key');
  return text;
}

export async function postEnrol(base: string, body: EnrolRequest, signal?: AbortSignal): Promise<EnrolResponse> {
  const response = await send(
    serverUrl(base, '/api/v1/enrol'),
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    signal,
  );
  if (response.status !== 201 && !response.ok) throw failureOf(response);
  return readJson(response, EnrolResponse);
}

export class ServerClient {
  constructor(
    readonly base: string,
    private readonly signer: StationSigner,
  ) {}

  url(path: string): URL {
    return serverUrl(this.base, path);
  }

  async nonce(signal?: AbortSignal): Promise<string> {
    const response = await send(
      this.url('/api/v1/nonce'),
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ stationId: this.signer.stationId }),
      },
      signal,
    );
    if (!response.ok) throw failureOf(response);
    return readJson(response, NonceResponse).nonce;
  }

  /**
   * The four signature headers for one request (PROTOCOL.md, "Signed requests"), over a fresh
   * nonce. `body`: the exact bytes sent, or `UNSIGNED-PAYLOAD` for a tus PATCH.
   */
  async signatureHeaders(
    method: string,
    url: URL,
    body: Buffer | typeof UNSIGNED_PAYLOAD,
    signal?: AbortSignal,
  ): Promise<Record<string, string>> {
    const nonce = await this.nonce(signal);
    const bodySha256 = body === UNSIGNED_PAYLOAD ? UNSIGNED_PAYLOAD : sha256Hex(body);
    const text = requestSigningText({
      method,
      pathAndQuery: `${url.pathname}${url.search}`,
      stationId: this.signer.stationId,
      nonce,
      bodySha256,
    });
    const signature = await this.signer.sign(Buffer.from(text, 'utf8'));
    return {
      [SIGNATURE_HEADERS.station]: this.signer.stationId,
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.bodySha256]: bodySha256,
      [SIGNATURE_HEADERS.signature]: signature.toString('base64'),
    };
  }

  private async postSigned(
    path: string,
    payload: unknown,
    signal: AbortSignal | undefined,
    extra: Record<string, string> = {},
    timeoutMs?: number,
  ): Promise<Answer> {
    const url = this.url(path);
    const body = Buffer.from(JSON.stringify(payload), 'utf8');
    const headers = await this.signatureHeaders('POST', url, body, signal);
    return send(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers, ...extra }, body },
      signal,
      timeoutMs,
    );
  }

  /** The hashes among `sha256s` whose blobs the server holds (asked 10 000 at a time). */
  async have(sha256s: readonly string[], signal?: AbortSignal): Promise<Set<string>> {
    const held = new Set<string>();
    for (let i = 0; i < sha256s.length; i += 10_000) {
      const response = await this.postSigned('/api/v1/have', { sha256: sha256s.slice(i, i + 10_000) }, signal);
      if (!response.ok) throw failureOf(response);
      for (const h of readJson(response, HaveResponse).have) held.add(h);
    }
    return held;
  }

  /** Commits a sealed version; the answer is the receipt as sent (text and signature, unparsed). */
  async commit(request: CommitRequest, idempotencyKey: string, signal?: AbortSignal): Promise<CommitResponse> {
    const response = await this.postSigned(
      '/api/v1/commit',
      request,
      signal,
      { 'idempotency-key': idempotencyKey },
      COMMIT_TIMEOUT_MS,
    );
    if (!response.ok) throw failureOf(response);
    return readJson(response, CommitResponse);
  }
}
