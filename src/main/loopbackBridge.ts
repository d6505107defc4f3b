import type { Engine, Logger } from '../core/engineApi';
import type { BridgeResult, IpcCallEnvelope, IpcEventEnvelope, StationBridge } from '../shared/bridge';
import { isEventName } from '../shared/contract';
import { dispatchIpcCall, forwardEngineEvents } from './ipcHandlers';
import { createSessionGate } from './sessionGate';

/**
 * The Electron IPC path without Electron, for tests: what the preload sends goes through
 * `structuredClone` (Electron's IPC serialisation) into the same `dispatchIpcCall` the main
 * process runs, and results and events are cloned back. One bridge stands for one window, with its
 * own session gate, so events reach it only while its client is signed in. Sender checks are
 * Electron's part and are tested on their own (`trustedSender.test.ts`).
 */
export function createLoopbackBridge(
  engine: Pick<Engine, 'call' | 'on' | 'activeAccount'>,
  log: Logger,
): StationBridge & { close(): void } {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const gate = createSessionGate((sessionId) => engine.activeAccount(sessionId) !== null);
  const stopForwarding = forwardEngineEvents(
    engine,
    (envelope: IpcEventEnvelope) => {
      const { event, payload } = structuredClone(envelope);
      for (const listener of [...(listeners.get(event) ?? [])]) listener(payload);
    },
    gate,
  );

  return {
    async call(method, input, sessionId) {
      const envelope: IpcCallEnvelope = structuredClone({ method, input, sessionId: sessionId ?? null });
      const result: BridgeResult = await dispatchIpcCall(engine, envelope, log, gate);
      return structuredClone(result);
    },
    on(event, listener) {
      if (!isEventName(event)) throw new TypeError(`Unknown station event: ${event}`);
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    getPathForFile: () => {
      throw new TypeError('getPathForFile needs Electron');
    },
    close: stopForwarding,
  };
}
