import type { BridgeResult } from '../shared/bridge';
import type { MethodName } from '../shared/contract';

/**
 * Decides whether one window may receive engine events. Import progress and library changes name
 * items and files, so they go only to a page that holds a signed-in, unlocked session, as the web
 * host does for its event streams. The main process keeps no auth state of its own: the gate only
 * remembers which session the window's client last used, and asks the engine at each event whether
 * that session is still active (sign-out, lock and the idle timeout all close it).
 */
export interface SessionGate {
  /** Notes the session a finished call leaves the window's client with; `dispatchIpcCall` calls it. */
  observe(method: MethodName, sessionId: string | null, result: BridgeResult): void;
  /** True while the window's session is signed in and unlocked; events are dropped otherwise. */
  isOpen(): boolean;
}

/** Methods whose result is the session the client holds from now on (see the IPC client). */
const SESSION_OPENERS: ReadonlySet<MethodName> = new Set(['auth.setupAdmin', 'auth.signIn', 'auth.unlock']);

/**
 * @param isActive asks the engine, without counting as activity, whether a session is signed in
 *   and unlocked (`engine.activeAccount(id) !== null`).
 */
export function createSessionGate(isActive: (sessionId: string) => boolean): SessionGate {
  let current: string | null = null;
  return {
    observe(method, sessionId, result) {
      if (method === 'auth.signOut') {
        // The client forgets its session whatever the answer; so does the gate.
        current = null;
      } else if (result.ok) {
        current = SESSION_OPENERS.has(method) ? readSessionId(result.value) : sessionId;
      }
    },
    isOpen: () => current !== null && isActive(current),
  };
}

function readSessionId(value: unknown): string | null {
  if (typeof value === 'object' && value !== null && 'sessionId' in value && typeof value.sessionId === 'string') {
    return value.sessionId;
  }
  return null;
}
