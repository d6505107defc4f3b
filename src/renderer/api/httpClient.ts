import type {
  EventName,
  EventPayload,
  MediaVariant,
  MethodInput,
  MethodName,
  MethodOutput,
  StationClient,
} from '../../shared/contract';
import { AppError, deserializeError } from '../../shared/errors';
import { createWindowSessionStore, opensSession, readSessionId } from './sessionStore';

/**
 * The station over the local web host: calls are `POST /api/call/<method>`, events arrive on one
 * shared EventSource, media is a plain URL. The host's token travels in an HttpOnly cookie the
 * browser sends by itself; this client only keeps the sign-in session.
 */

export interface HttpClientOptions {
  /** Origin prefix of the host; '' (the default) means the page's own origin. */
  baseUrl?: string;
  /**
   * The host token, for clients outside the browser (tests, scripts), which have no cookie. The
   * browser never sets it: the token stays in the HttpOnly cookie, out of reach of page scripts.
   */
  token?: string;
}

const SESSION_HEADER = 'X-Station-Session';
const RECONNECT_MIN_MS = 1_000;
const RECONNECT_MAX_MS = 30_000;

type AnyListener = (payload: unknown) => void;

export function createHttpClient({ baseUrl = '', token }: HttpClientOptions = {}): StationClient {
  const session = createWindowSessionStore();
  const listeners = new Map<EventName, Set<AnyListener>>();
  let source: EventSource | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let reconnectDelayMs = RECONNECT_MIN_MS;

  const hasListeners = (): boolean => [...listeners.values()].some((set) => set.size > 0);

  const dispatch = (message: { data: string }): void => {
    let frame: { event?: unknown; payload?: unknown };
    try {
      frame = JSON.parse(message.data) as typeof frame;
    } catch {
      return;
    }
    const set = listeners.get(frame.event as EventName);
    if (!set) return;
    for (const listener of [...set]) listener(frame.payload);
  };

  const connect = (): void => {
    const sessionId = session.get();
    // The host streams events only to a signed-in session: before sign-in there is nothing to hear.
    if (source !== null || !hasListeners() || sessionId === null) return;
    const next = new EventSource(`${baseUrl}/api/events?s=${encodeURIComponent(sessionId)}`);
    next.onopen = () => {
      reconnectDelayMs = RECONNECT_MIN_MS;
    };
    next.onmessage = dispatch;
    next.onerror = () => {
      // EventSource retries by itself after a dropped stream; it gives up (CLOSED) on an HTTP
      // error such as a restarted host. Then we retry with backoff so events resume on their own.
      if (next.readyState !== EventSource.CLOSED) return;
      next.close();
      if (source === next) source = null;
      if (reconnectTimer === null && hasListeners()) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = null;
          connect();
        }, reconnectDelayMs);
        reconnectDelayMs = Math.min(reconnectDelayMs * 2, RECONNECT_MAX_MS);
      }
    };
    source = next;
  };

  /** A new session (sign-in, unlock) or none (sign-out) needs a new stream. */
  const reconnectForSession = (): void => {
    source?.close();
    source = null;
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    reconnectTimer = null;
    reconnectDelayMs = RECONNECT_MIN_MS;
    connect();
  };

  const disconnectIfIdle = (): void => {
    if (hasListeners()) return;
    source?.close();
    source = null;
    if (reconnectTimer !== null) clearTimeout(reconnectTimer);
    reconnectTimer = null;
  };

  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      const sessionId = session.get();
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (sessionId !== null) headers[SESSION_HEADER] = sessionId;
      if (token !== undefined) headers.Authorization = `Bearer ${token}`;

      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/call/${encodeURIComponent(method)}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers,
          body: JSON.stringify(input ?? {}),
        });
      } catch (cause) {
        throw new AppError('internal', { reason: 'network' }, { cause });
      }

      let body: unknown;
      try {
        body = await response.json();
      } catch (cause) {
        throw new AppError('internal', { reason: 'response', status: response.status }, { cause });
      }
      if (method === 'auth.signOut') {
        session.set(null);
        reconnectForSession();
      }
      if (typeof body !== 'object' || body === null || !('ok' in body)) {
        throw new AppError('internal', { reason: 'response', status: response.status });
      }
      if (body.ok !== true) throw deserializeError('error' in body ? body.error : undefined);

      const value = ('value' in body ? body.value : undefined) as MethodOutput<M>;
      if (opensSession(method)) {
        session.set(readSessionId(value));
        reconnectForSession();
      }
      return value;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      const set = listeners.get(event) ?? new Set<AnyListener>();
      listeners.set(event, set);
      const entry = listener as AnyListener;
      set.add(entry);
      connect();
      return () => {
        set.delete(entry);
        disconnectIfIdle();
      };
    },

    hasSession: () => session.get() !== null,

    mediaUrl(itemId: string, variant: MediaVariant, part?: number): string {
      const sessionId = session.get();
      const params = [
        ...(sessionId === null ? [] : [`s=${encodeURIComponent(sessionId)}`]),
        ...(part === undefined ? [] : [`part=${part}`]),
      ];
      const query = params.length > 0 ? `?${params.join('&')}` : '';
      return `${baseUrl}/media/${encodeURIComponent(itemId)}/${encodeURIComponent(variant)}${query}`;
    },
  };
}
