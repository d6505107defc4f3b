import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type StationEngine } from '../../src/core/engine';
import type { Logger } from '../../src/core/engineApi';
import { createLoopbackBridge } from '../../src/main/loopbackBridge';
import { createMediaResponder } from '../../src/main/mediaResponse';
import { createIpcClient, type SessionStore } from '../../src/renderer/api/ipcClient';
import type { StationBridge } from '../../src/shared/bridge';
import type { EventName, StationClient } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { getMediaFixtures } from '../fixtures';

/**
 * The contract over the Electron IPC path, minus Electron: the renderer's IPC client, the bridge
 * envelope cloned the way IPC clones it, the main process's dispatcher and media responder, and
 * the real engine in a temp data dir. What Electron adds on top (sender checks, the window) is
 * covered by `src/main/trustedSender.test.ts` and `e2e/electron.spec.ts`.
 */

const ADMIN = { name: 'admin', password: 'correct horse battery' };
const logged: Array<{ level: string; message: string }> = [];
const log: Logger = {
  info: (message) => logged.push({ level: 'info', message }),
  warn: (message) => logged.push({ level: 'warn', message }),
  error: (message) => logged.push({ level: 'error', message }),
};

function memoryStore(): SessionStore {
  let value: string | null = null;
  return { get: () => value, set: (next) => void (value = next) };
}

let root: string;
let engine: StationEngine;
let bridge: StationBridge & { close(): void };
let client: StationClient;
let session: SessionStore;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'station-contract-ipc-'));
  engine = await createEngine({
    dataDir: join(root, 'data'),
    log,
    runJobs: false,
    importRoots: [dirname(getMediaFixtures().h264)],
  });
  bridge = createLoopbackBridge(engine, log);
  session = memoryStore();
  client = createIpcClient(bridge, { sessionStore: session });
});

afterAll(async () => {
  bridge?.close();
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof AppError ? error.code : `not an AppError: ${String(error)}`),
  );

describe('calls over IPC', () => {
  it('reports first-run setup before anyone signs in', async () => {
    expect(await client.call('station.status', {})).toMatchObject({ setupRequired: true });
    expect(await codeOf(client.call('auth.whoami', {}))).toBe('auth.required');
  });

  it('keeps the session from setup and sends it with each call', async () => {
    const created = await client.call('auth.setupAdmin', ADMIN);
    expect(session.get()).toBe(created.sessionId);
    expect((await client.call('auth.whoami', {})).account.name).toBe('admin');
  });

  it('answers refusals as error codes with their params', async () => {
    expect(await codeOf(client.call('auth.setupAdmin', ADMIN))).toBe('setup.alreadyDone');
    expect(await codeOf(client.call('items.get', { id: 'no-such-item' }))).toBe('item.notFound');
    expect(await codeOf(client.call('items.get', { id: 42 } as never))).toBe('input.invalid');
  });

  it('refuses unknown methods and malformed envelopes before the engine sees them', async () => {
    expect(await bridge.call('no.such.method', {})).toEqual({
      ok: false,
      error: { code: 'method.unknown', params: { method: 'no.such.method' } },
    });
    expect(await bridge.call('station.status', {}, 'x'.repeat(500))).toMatchObject({
      error: { code: 'input.invalid' },
    });
    expect(await bridge.call('constructor', {})).toMatchObject({ error: { code: 'method.unknown' } });
  });
});

describe('events and media over IPC', () => {
  let itemId: string;
  let original: Buffer;
  const seen: EventName[] = [];

  beforeAll(async () => {
    const source = getMediaFixtures().h264;
    original = await readFile(source);
    const stops = (['import.progress', 'import.fileDone', 'import.finished'] as const).map((event) =>
      client.on(event, () => seen.push(event)),
    );
    const finished = new Promise<void>((resolve) => {
      const stop = client.on('import.finished', () => {
        stop();
        resolve();
      });
    });
    const { importId } = await client.call('import.start', { paths: [source] });
    await finished;
    stops.forEach((stop) => stop());
    const record = await client.call('import.get', { importId });
    expect(record.files[0]?.status).toBe('imported');
    itemId = record.files[0]!.itemId!;
    // The page opens an item (its detail) before it plays it: only then is streaming a view.
    await client.call('items.get', { id: itemId });
  });

  it('delivers the import events to the page', () => {
    expect(seen).toContain('import.progress');
    expect(seen).toContain('import.fileDone');
    expect(seen.at(-1)).toBe('import.finished');
  });

  // What `protocol.handle('evidence', …)` runs for each request the page makes.
  const respond = (url: string, init?: RequestInit) =>
    createMediaResponder({ engine, log, allowedOrigin: 'app://station' })(new Request(url, init));

  it('streams the original the client names, whole and by range', async () => {
    const url = client.mediaUrl(itemId, 'original');
    expect(url.startsWith(`evidence://media/${itemId}/original?s=`)).toBe(true);

    const whole = await respond(url);
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);

    const slice = await respond(url, { headers: { Range: 'bytes=10-19' } });
    expect(slice.status).toBe(206);
    expect(slice.headers.get('content-range')).toBe(`bytes 10-19/${original.length}`);
    expect(Buffer.from(await slice.arrayBuffer()).equals(original.subarray(10, 20))).toBe(true);

    const past = await respond(url, { headers: { Range: `bytes=${original.length}-` } });
    expect(past.status).toBe(416);
  });

  it('refuses media without a session, and unknown items or variants', async () => {
    expect((await respond(`evidence://media/${itemId}/original`)).status).toBe(401);
    const sessionQuery = `?s=${encodeURIComponent(session.get() ?? '')}`;
    expect((await respond(`evidence://media/no-such-item/original${sessionQuery}`)).status).toBe(404);
    expect((await respond(`evidence://media/${itemId}/secret${sessionQuery}`)).status).toBe(404);
  });

  it('forgets the session on sign-out', async () => {
    await client.call('auth.signOut', {});
    expect(session.get()).toBeNull();
    expect(await codeOf(client.call('auth.whoami', {}))).toBe('auth.required');
    expect(logged.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});
