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
import { createWindowSessionStore, opensSession, readSessionId, type SessionStore } from './sessionStore';

// Hosts' tests hand the client their own store; they import its type from here.
export type { SessionStore } from './sessionStore';

/**
 * The station over Electron IPC: `window.station` (the preload bridge) carries each call to the
 * main process with the session id, results come back as `BridgeResult` data, and media is served
 * by the `evidence://` protocol. Behaves like the HTTP client: it remembers the session returned
 * by sign-in, setup and unlock, forgets it on sign-out, and throws `AppError`.
 */

export interface IpcClientOptions {
  /** Where the session id lives between calls; the default survives a reload of the window only. */
  sessionStore?: SessionStore;
}

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
      if (opensSession(method)) session.set(readSessionId(value));
      return value;
    },

    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
      return bridge.on(event, listener as (payload: unknown) => void);
    },

    hasSession: () => session.get() !== null,

    mediaUrl(itemId: string, variant: MediaVariant, part?: number): string {
      return formatMediaUrl(itemId, variant, session.get(), part);
    },
  };
}
