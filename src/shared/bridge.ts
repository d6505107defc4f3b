import type { SerializedError } from './errors';

/**
 * What the Electron preload exposes on `window.station` through contextBridge, and nothing more.
 * Results come back as data so that error codes survive the IPC boundary.
 */
export type BridgeResult = { ok: true; value: unknown } | { ok: false; error: SerializedError };

export interface StationBridge {
  /**
   * Calls one contract method. The session id travels with each call (the renderer keeps it, as
   * the HTTP client does), so the main process holds no per-window auth state.
   */
  call(method: string, input: unknown, sessionId?: string | null): Promise<BridgeResult>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** The real path of a file dropped on the window (Electron's webUtils), for drag-and-drop import. */
  getPathForFile(file: Blob): string;
}

/** What the preload sends on `IPC_CALL_CHANNEL`; the main process checks every field. */
export interface IpcCallEnvelope {
  method: string;
  input: unknown;
  sessionId: string | null;
}

/** What the main process sends on `IPC_EVENT_CHANNEL`: one engine event. */
export interface IpcEventEnvelope {
  event: string;
  payload: unknown;
}

/** IPC channel names: one for calls, one for events. The main process refuses any other. */
export const IPC_CALL_CHANNEL = 'station:call';
export const IPC_EVENT_CHANNEL = 'station:event';
/** The privileged scheme that serves media by opaque id in Electron: `evidence://media/<itemId>/<variant>`. */
export const MEDIA_SCHEME = 'evidence';
