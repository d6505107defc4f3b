import type { BridgeResult, StationBridge } from '../../shared/bridge';
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
import { formatMediaUrl } from '../../shared/mediaUrl';

/**
 * The station over Electron IPC: `window.station` (the preload bridge) carries each call to the
 * main process with the session id, results come back as `BridgeResult` data, and media is served
 * by the `evidence://` protocol. Behaves like the HTTP client: it remembers the session returned
 * by sign-in, setup and unlock, forgets it on sign-out, and throws `AppError`.
 */

/** Where the session id lives between calls; the default survives a reload of the window only. */
export interface SessionStore {
  get(): string | null;
  set(sessionId: string | null): void;
}

export interface IpcClientOptions {
  sessionStore?: SessionStore;
}

const SESSION_KEY = 'station.sessionId';
/** Methods whose result is a new session the client must remember. */
const SESSION_OPENERS: ReadonlySet<MethodName> = new Set(['auth.setupAdmin', 'auth.signIn', 'auth.unlock']);

export function createIpcClient(bridge: StationBridge, options: IpcClientOptions = {}): StationClient {
  const session = options.sessionStore ?? createWindowSessionStore();

  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      let result: BridgeResult;
      try {
        result = await bridge.call(method, input ?? {}, session.get());
      } catch (cause) {
        // Only a broken bridge throws (the main process answers failures as data).
        throw new AppError('internal', { reason: 'ipc' }, { cause });
      } finally {
        if (method === 'auth.signOut') session.set(null);
      }
      if (!result.ok) throw deserializeError(result.error);
      const value = result.value as MethodOutput<M>;
      if (SESSION_OPENERS.has(method)) session.set(readSessionId(value));
      return value;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.on(event, listener as (payload: unknown) => void);
    },

    mediaUrl(itemId: string, variant: MediaVariant): string {
      return formatMediaUrl(itemId, variant, session.get());
    },
  };
}

function readSessionId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'sessionId' in value && typeof value.sessionId === 'string') {
    return value.sessionId;
  }
  return null;
}

/** The part of Web Storage the client uses; typed here so the client also compiles for Node tests. */
interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** sessionStorage when the page has one (a reload keeps the sign-in, closing the window does not), else memory. */
export function createWindowSessionStore(): SessionStore {
  let memory: string | null = null;
  const storage = (): SessionStorageLike | null => {
    try {
      return (globalThis as { sessionStorage?: SessionStorageLike }).sessionStorage ?? null;
    } catch {
      return null; // storage disabled by policy: keep the session in memory only
    }
  };
  return {
    get: () => storage()?.getItem(SESSION_KEY) ?? memory,
    set: (sessionId) => {
      memory = sessionId;
      const store = storage();
      if (sessionId === null) store?.removeItem(SESSION_KEY);
      else store?.setItem(SESSION_KEY, sessionId);
    },
  };
}
