import { describe, expect, it } from 'vitest';
import type { BridgeResult, StationBridge } from '../../shared/bridge';
import { AppError } from '../../shared/errors';
import { createIpcClient } from './ipcClient';

interface SentCall {
  method: string;
  input: unknown;
  sessionId: string | null | undefined;
}

/** A bridge that answers from a script and records what the client sent, as the preload would carry it. */
function createScriptedBridge(answer: (call: SentCall) => BridgeResult) {
  const sent: SentCall[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge: StationBridge = {
    async call(method, input, sessionId) {
      const call = { method, input, sessionId };
      sent.push(call);
      return answer(call);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    getPathForFile: () => '',
  };
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((listener) => listener(payload));
  return { bridge, sent, emit };
}

const session = (sessionId: string) => ({
  sessionId,
  account: { id: 'a1', name: 'admin', displayName: 'Admin', role: 'admin' },
  lockAfterMinutes: 15,
});

describe('createIpcClient', () => {
  it('remembers the session from sign-in and sends it with later calls until sign-out', async () => {
    const { bridge, sent } = createScriptedBridge(({ method }) =>
      method === 'auth.signIn' ? { ok: true, value: session('s-1234567890abcdef') } : { ok: true, value: { ok: true } },
    );
    const client = createIpcClient(bridge);

    await client.call('auth.signIn', { name: 'admin', password: 'pw' });
    await client.call('auth.lock', {});
    await client.call('auth.signOut', {});
    await client.call('auth.lock', {});

    expect(sent.map((call) => call.sessionId)).toEqual([null, 's-1234567890abcdef', 's-1234567890abcdef', null]);
  });

  it.each(['auth.setupAdmin', 'auth.unlock'] as const)('takes the session returned by %s', async (method) => {
    const { bridge } = createScriptedBridge(() => ({ ok: true, value: session('s-from-' + method) }));
    const client = createIpcClient(bridge);
    await (method === 'auth.setupAdmin'
      ? client.call(method, { name: 'admin', password: 'correct horse battery' })
      : client.call(method, { sessionId: 'old-session-0123456', password: 'pw' }));
    expect(client.mediaUrl('item1', 'play')).toBe(`evidence://media/item1/play?s=s-from-${method}`);
  });

  it('forgets the session on sign-out even when the engine refuses it', async () => {
    const { bridge, sent } = createScriptedBridge(({ method }) =>
      method === 'auth.signIn'
        ? { ok: true, value: session('s-1234567890abcdef') }
        : { ok: false, error: { code: 'auth.required', params: {} } },
    );
    const client = createIpcClient(bridge);
    await client.call('auth.signIn', { name: 'admin', password: 'pw' });
    await expect(client.call('auth.signOut', {})).rejects.toBeInstanceOf(AppError);
    await expect(client.call('auth.whoami', {})).rejects.toBeInstanceOf(AppError);
    expect(sent.at(-1)?.sessionId).toBeNull();
  });

  it('throws the error code and params the main process sent', async () => {
    const { bridge } = createScriptedBridge(() => ({
      ok: false,
      error: { code: 'item.notFound', params: { id: 'x1' } },
    }));
    const error = await createIpcClient(bridge)
      .call('items.get', { id: 'x1' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'item.notFound', params: { id: 'x1' } });
  });

  it('turns a broken bridge into an internal error', async () => {
    const bridge = createScriptedBridge(() => {
      throw new Error('An object could not be cloned.');
    }).bridge;
    await expect(createIpcClient(bridge).call('station.status', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('sends an empty object when a method takes no input', async () => {
    const { bridge, sent } = createScriptedBridge(() => ({ ok: true, value: {} }));
    await createIpcClient(bridge).call('station.status', undefined as never);
    expect(sent[0]?.input).toEqual({});
  });

  it('delivers events and stops after unsubscribing', () => {
    const { bridge, emit } = createScriptedBridge(() => ({ ok: true, value: {} }));
    const seen: unknown[] = [];
    const unsubscribe = createIpcClient(bridge).on('library.changed', (payload) => seen.push(payload));
    emit('library.changed', { itemIds: ['a'] });
    unsubscribe();
    emit('library.changed', { itemIds: ['b'] });
    expect(seen).toEqual([{ itemIds: ['a'] }]);
  });

  it('builds media URLs without a session before sign-in', () => {
    const { bridge } = createScriptedBridge(() => ({ ok: true, value: {} }));
    expect(createIpcClient(bridge).mediaUrl('item/1', 'thumbnail')).toBe('evidence://media/item%2F1/thumbnail');
  });
});
