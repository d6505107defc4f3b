// Must stay the first import: see zodJitless.ts.
import './zodJitless';
import type { StationBridge } from '../../shared/bridge';
import type { StationClient } from '../../shared/contract';
import { createHttpClient } from './httpClient';
import { createIpcClient } from './ipcClient';

let client: StationClient | undefined;

/**
 * The one client the UI talks through. In Electron the preload exposes `window.station` and calls
 * go over IPC; in a browser served by the local web host they go over HTTP to the same origin.
 */
export function getStationClient(): StationClient {
  if (client === undefined) {
    const bridge = (globalThis as { station?: StationBridge }).station;
    client = bridge ? createIpcClient(bridge) : createHttpClient();
  }
  return client;
}
