import type { StationClient } from '../../../shared/contract';
import { toAppError } from '../i18n/errors';

export interface SessionGuards {
  onLocked(): void;
  onSignedOut(): void;
}

/**
 * Wraps the transport so that any call the engine refuses because the session is locked or gone
 * switches the whole window to the lock or sign-in screen, whichever component made the call.
 */
export function guardClient(client: StationClient, guards: SessionGuards): StationClient {
  return {
    async call(method, input) {
      try {
        return await client.call(method, input);
      } catch (error) {
        const code = toAppError(error).code;
        if (code === 'auth.locked') guards.onLocked();
        // Ended by an admin, disabled, or past its lifetime: the session is gone either way.
        else if (code === 'auth.required' || code === 'auth.expired' || code === 'account.disabled') {
          guards.onSignedOut();
        }
        throw error;
      }
    },
    on: (event, listener) => client.on(event, listener),
    mediaUrl: (itemId, variant, part) => client.mediaUrl(itemId, variant, part),
    hasSession: () => client.hasSession(),
  };
}
