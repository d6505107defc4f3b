import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../test/fixtures';
import { createEngine, type StationEngine } from '../core/engine';
import type { CallContext } from '../core/engineApi';
import { createIpcClient, type SessionStore } from '../renderer/api/ipcClient';
import { events, type EventName, type StationClient } from '../shared/contract';
import { createLoopbackBridge } from './loopbackBridge';

/**
 * Engine events over the IPC path reach a window only while its page is signed in and unlocked.
 * Two bridges stand for two windows over one real engine; imports started directly on the engine
 * produce the events, so each phase sees whatever a window would see.
 */

const ADMIN = { name: 'admin', password: 'correct horse battery' };
const silent = { info() {}, warn() {}, error() {} };
const LOCK_AFTER_MS = 15 * 60_000;

interface Window {
  client: StationClient;
  seen: EventName[];
  close(): void;
}

let root: string;
let engine: StationEngine;
let clockMs = Date.parse('2026-03-01T08:00:00Z');
const windows: Window[] = [];

function openWindow(): Window {
  const bridge = createLoopbackBridge(engine, silent);
  let sessionId: string | null = null;
  const store: SessionStore = { get: () => sessionId, set: (next) => void (sessionId = next) };
  const client = createIpcClient(bridge, { sessionStore: store });
  const seen: EventName[] = [];
  const stops = (Object.keys(events) as EventName[]).map((event) => client.on(event, () => seen.push(event)));
  const window = {
    client,
    seen,
    close() {
      stops.forEach((stop) => stop());
      bridge.close();
    },
  };
  windows.push(window);
  return window;
}

/** Imports one file as a separate, signed-in caller (not through any window) and waits for the end. */
async function importAsAnotherCaller(): Promise<void> {
  const { sessionId } = await engine.call('auth.signIn', ADMIN, { sessionId: null, via: 'test' });
  const ctx: CallContext = { sessionId, via: 'test' };
  const { importId } = await engine.call('import.start', { paths: [getMediaFixtures().h264] }, ctx);
  await engine.waitForImport(importId);
  await engine.call('auth.signOut', {}, ctx);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'station-loopback-'));
  engine = await createEngine({
    dataDir: join(root, 'data'),
    log: silent,
    runJobs: false,
    now: () => new Date(clockMs),
  });
});

afterAll(async () => {
  windows.forEach((window) => window.close());
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

describe('events over the loopback bridge', () => {
  let signedIn: Window;
  let signedOut: Window;

  beforeAll(async () => {
    signedIn = openWindow();
    signedOut = openWindow();
    await signedIn.client.call('auth.setupAdmin', ADMIN);
    await signedOut.client.call('station.status', {});
  });

  it('reach the window that is signed in and not the one that is not', async () => {
    await importAsAnotherCaller();
    expect(signedIn.seen).toContain('import.finished');
    expect(signedOut.seen).toEqual([]);
  });

  it('stop while the session is locked and resume after unlocking', async () => {
    const { sessionId } = await signedIn.client.call('auth.whoami', {});
    await signedIn.client.call('auth.lock', {});
    signedIn.seen.length = 0;
    await importAsAnotherCaller();
    expect(signedIn.seen).toEqual([]);

    await signedIn.client.call('auth.unlock', { sessionId, password: ADMIN.password });
    await importAsAnotherCaller();
    expect(signedIn.seen).toContain('import.finished');
  });

  it('stop once the session has been idle past the lock timeout, with no call to notice it', async () => {
    clockMs += LOCK_AFTER_MS + 1000;
    signedIn.seen.length = 0;
    await importAsAnotherCaller();
    expect(signedIn.seen).toEqual([]);
  });

  it('stop after sign-out', async () => {
    const window = openWindow();
    await window.client.call('auth.signIn', ADMIN);
    await importAsAnotherCaller();
    expect(window.seen).toContain('import.finished');

    await window.client.call('auth.signOut', {});
    window.seen.length = 0;
    await importAsAnotherCaller();
    expect(window.seen).toEqual([]);
    expect(signedOut.seen).toEqual([]);
  });
});
