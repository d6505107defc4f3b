import type { MethodName } from '../../shared/contract';

/**
 * The sign-in session as both transports keep it: which calls open a session, how to read it from
 * their result, and where it lives between calls. Sign-out is left to each client, because when
 * the session is dropped (before or after the answer) is part of how each transport behaves.
 */

/** Where the session id lives between calls. */
export interface SessionStore {
  get(): string | null;
  set(sessionId: string | null): void;
}

const SESSION_KEY = 'station.sessionId';
/** Methods whose result is a new session the client must remember. */
const SESSION_OPENERS: ReadonlySet<MethodName> = new Set(['auth.setupAdmin', 'auth.signIn', 'auth.unlock']);

export function opensSession(method: MethodName): boolean {
  return SESSION_OPENERS.has(method);
}

export function readSessionId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'sessionId' in value && typeof value.sessionId === 'string') {
    return value.sessionId;
  }
  return null;
}

/** The part of Web Storage the store uses; typed here so the clients also compile for Node tests. */
interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * sessionStorage when the page has one: a reload of the tab or window keeps the sign-in, closing
 * it does not, which is the lifetime we want. Without one (Node, or storage disabled) it is memory.
 */
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
