import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallContext, Engine, MediaFile } from '../core/engineApi';
import { AppError } from '../shared/errors';
import { createMediaResponder } from './mediaResponse';

const silent = { info() {}, warn() {}, error() {} };
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
let dir: string;
let file: string;

/** Stands in for the engine's media lookup: one item, visible to one session. */
type OpenCall = [string, string, CallContext, number?];

function openMediaFrom(known: MediaFile): Pick<Engine, 'openMedia'> & { calls: OpenCall[] } {
  const calls: OpenCall[] = [];
  return {
    calls,
    async openMedia(itemId, variant, ctx, part) {
      calls.push(part === undefined ? [itemId, variant, ctx] : [itemId, variant, ctx, part]);
      if (ctx.sessionId !== 'good-session') throw new AppError('auth.required');
      if (itemId !== 'item1') throw new AppError('media.notFound');
      return known;
    },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'media-response-'));
  file = path.join(dir, 'clip.mp4');
  await writeFile(file, bytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function respond(url: string, init?: RequestInit, size = bytes.length) {
  const engine = openMediaFrom({ path: file, mimeType: 'video/mp4', size });
  const responder = createMediaResponder({ engine, log: silent, allowedOrigin: 'app://station' });
  return { engine, response: responder(new Request(url, init)) };
}

const url = 'evidence://media/item1/play?s=good-session';

describe('createMediaResponder', () => {
  it('sends the whole file with Accept-Ranges when no range is asked', async () => {
    const { engine, response } = respond(url);
    const res = await response;
    expect(res.status).toBe(200);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('content-length')).toBe('1000');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(engine.calls).toEqual([['item1', 'play', { sessionId: 'good-session', via: 'ipc' }]]);
  });

  it('answers a range with 206, Content-Range and exactly those bytes', async () => {
    const res = await respond(url, { headers: { Range: 'bytes=100-199' } }).response;
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 100-199/1000');
    expect(res.headers.get('content-length')).toBe('100');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(100, 200));
  });

  it('answers an open-ended range the way <video> asks when seeking', async () => {
    const res = await respond(url, { headers: { Range: 'bytes=900-' } }).response;
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 900-999/1000');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes.subarray(900));
  });

  it('sends the right slice for a suffix range and for a range running past the end', async () => {
    const suffix = await respond(url, { headers: { Range: 'bytes=-50' } }).response;
    expect(suffix.status).toBe(206);
    expect(suffix.headers.get('content-range')).toBe('bytes 950-999/1000');
    expect(suffix.headers.get('content-length')).toBe('50');
    expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(950));

    const pastEnd = await respond(url, { headers: { Range: 'bytes=990-5000' } }).response;
    expect(pastEnd.status).toBe(206);
    expect(pastEnd.headers.get('content-range')).toBe('bytes 990-999/1000');
    expect(Buffer.from(await pastEnd.arrayBuffer())).toEqual(bytes.subarray(990));
  });

  it('answers 416 past the end', async () => {
    const res = await respond(url, { headers: { Range: 'bytes=1000-' } }).response;
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
  });

  it('answers HEAD with headers only', async () => {
    const res = await respond(url, { method: 'HEAD' }).response;
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
    expect(await res.text()).toBe('');
  });

  it('passes the engine refusal on as the catalogue status and code', async () => {
    const noSession = await respond('evidence://media/item1/play').response;
    expect(noSession.status).toBe(401);
    expect(await noSession.json()).toEqual({ ok: false, error: { code: 'auth.required', params: {} } });

    const unknown = await respond('evidence://media/other/play?s=good-session').response;
    expect(unknown.status).toBe(404);
  });

  it('asks the engine for the filmstrip sheet the URL names', async () => {
    const { engine, response } = respond('evidence://media/item1/filmstrip?part=3&s=good-session');
    expect((await response).status).toBe(200);
    expect(engine.calls).toEqual([['item1', 'filmstrip', { sessionId: 'good-session', via: 'ipc' }, 3]]);
    const bad = respond('evidence://media/item1/filmstrip?part=x&s=good-session');
    expect((await bad.response).status).toBe(404);
    expect(bad.engine.calls).toEqual([]);
  });

  it('refuses malformed media URLs without asking the engine', async () => {
    const { engine, response } = respond('evidence://media/item1/../../etc/passwd?s=good-session');
    expect((await response).status).toBe(404);
    expect(engine.calls).toEqual([]);
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await respond(url, { method: 'POST', body: 'x' }).response).status).toBe(405);
  });

  it('stops reading when the player cancels the request', async () => {
    const res = await respond(url).response;
    const reader = res.body!.getReader();
    await reader.read();
    await expect(reader.cancel()).resolves.toBeUndefined();
  });
});
