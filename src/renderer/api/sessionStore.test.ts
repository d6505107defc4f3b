import { afterEach, describe, expect, it } from 'vitest';
import { createWindowSessionStore, opensSession, readSessionId } from './sessionStore';

/** Node has no Web Storage; a Map stands in for the tab's sessionStorage. */
function installSessionStorage(): Map<string, string> {
  const items = new Map<string, string>();
  Object.defineProperty(globalThis, 'sessionStorage', {
    configurable: true,
    value: {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
    },
  });
  return items;
}

afterEach(() => {
  Reflect.deleteProperty(globalThis, 'sessionStorage');
});

describe('createWindowSessionStore', () => {
  it('keeps the session in memory where there is no sessionStorage', () => {
    const store = createWindowSessionStore();
    expect(store.get()).toBeNull();
    store.set('s-1');
    expect(store.get()).toBe('s-1');
    store.set(null);
    expect(store.get()).toBeNull();
  });

  it('keeps the session in sessionStorage, so a second store (a reloaded page) finds it', () => {
    const items = installSessionStorage();
    createWindowSessionStore().set('s-2');
    expect(createWindowSessionStore().get()).toBe('s-2');
    createWindowSessionStore().set(null);
    expect(items.size).toBe(0);
  });

  it('falls back to memory when the page refuses storage', () => {
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new Error('SecurityError: access denied');
      },
    });
    const store = createWindowSessionStore();
    store.set('s-3');
    expect(store.get()).toBe('s-3');
  });
});

describe('session openers', () => {
  it('are setup, sign-in and unlock only', () => {
    expect((['auth.setupAdmin', 'auth.signIn', 'auth.unlock'] as const).every(opensSession)).toBe(true);
    expect(opensSession('auth.signOut')).toBe(false);
    expect(opensSession('auth.whoami')).toBe(false);
  });

  it('answer a session id, anything else reads as none', () => {
    expect(readSessionId({ sessionId: 's-4', account: {} })).toBe('s-4');
    expect(readSessionId({ sessionId: 4 })).toBeNull();
    expect(readSessionId(null)).toBeNull();
    expect(readSessionId('s-5')).toBeNull();
  });
});
