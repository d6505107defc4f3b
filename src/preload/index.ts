import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  IPC_CALL_CHANNEL,
  IPC_EVENT_CHANNEL,
  type BridgeResult,
  type IpcCallEnvelope,
  type StationBridge,
} from '../shared/bridge';
import { isEventName } from '../shared/contract';

/**
 * Exposes `window.station`: exactly the `StationBridge`, never `ipcRenderer` itself, and never the
 * IPC event object (its `sender` is `ipcRenderer`). Runs sandboxed, so this file is bundled into one
 * CommonJS script that requires nothing but `electron`.
 *
 * DO NOT expose getters/setters or class instances here: contextBridge copies values, and only
 * plain functions and data cross it intact.
 */

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// One IPC listener for all events; subscribers are kept here so the page cannot attach its own
// handlers to the channel.
ipcRenderer.on(IPC_EVENT_CHANNEL, (_event: IpcRendererEvent, envelope: unknown) => {
  if (typeof envelope !== 'object' || envelope === null) return;
  const { event, payload } = envelope as { event?: unknown; payload?: unknown };
  if (typeof event !== 'string') return;
  const set = listeners.get(event);
  if (!set) return;
  for (const listener of [...set]) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`station: listener for ${event} failed`, error);
    }
  }
});

const bridge: StationBridge = {
  call(method: string, input: unknown, sessionId?: string | null): Promise<BridgeResult> {
    const envelope: IpcCallEnvelope = { method: String(method), input, sessionId: sessionId ?? null };
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, envelope) as Promise<BridgeResult>;
  },

  on(event: string, listener: Listener): () => void {
    if (!isEventName(event)) throw new TypeError(`Unknown station event: ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('station.on needs a listener function');
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  },

  getPathForFile(file: Blob): string {
    return webUtils.getPathForFile(file as File);
  },
};

contextBridge.exposeInMainWorld('station', bridge);
