import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import type { Engine, Logger } from '../../src/core/engineApi';
import { createHttpClient } from '../../src/renderer/api/httpClient';
import { AppError } from '../../src/shared/errors';
import { startWebHost, type WebHost } from '../../src/web/server';
import { getMediaFixtures } from '../fixtures';
import { collectEvents, sendRaw, type RawRequest, type RawResponse } from './http';

/**
 * The contract over real HTTP: the real engine in a temp data dir behind `startWebHost`, spoken to
 * with raw requests, the way a browser, a media player or a hostile web page would.
 */

const ADMIN = { name: 'admin', password: 'correct horse battery' };
const INDEX_HTML = '<!doctype html><title>station</title><script type="module" src="/assets/app.js"></script>';

let root: string;
let engine: Engine;
let host: WebHost;
const logged: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
const log: Logger = {
  info: (message, fields) => logged.push({ level: 'info', message, fields }),
  warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
  error: (message, fields) => logged.push({ level: 'error', message, fields }),
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'station-contract-http-'));
  const staticDir = join(root, 'web');
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'index.html'), INDEX_HTML);
  await writeFile(join(staticDir, 'assets', 'app.js'), 'export {};\n');
  await writeFile(join(root, 'secret.txt'), 'outside the static root');
  await symlink(join(root, 'secret.txt'), join(staticDir, 'assets', 'link.txt'));
  engine = await createEngine({
    dataDir: join(root, 'data'),
    log,
    runJobs: false,
    importRoots: [dirname(getMediaFixtures().h264)],
  });
  host = await startWebHost({ engine, staticDir, log });
});

afterAll(async () => {
  await host?.close();
  await engine?.close();
  await rm(root, { recursive: true, force: true });
});

const bearer = (): Record<string, string> => ({ Authorization: `Bearer ${host.token}` });

function call(method: string, input: unknown, opts: { sessionId?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...bearer(), 'Content-Type': 'application/json', ...opts.headers };
  if (opts.sessionId) headers['X-Station-Session'] = opts.sessionId;
  return sendRaw(host.port, `/api/call/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });
}

function errorOf(res: RawResponse): { code: string; params: Record<string, unknown> } {
  const body = res.json() as { ok: boolean; error: { code: string; params: Record<string, unknown> } };
  expect(body.ok).toBe(false);
  return body.error;
}

function valueOf<T>(res: RawResponse): T {
  const body = res.json() as { ok: boolean; value: T };
  expect(res.status, res.body.toString()).toBe(200);
  expect(body.ok).toBe(true);
  return body.value;
}

describe('the token', () => {
  it('is required on API, media and pages (401 host.token)', async () => {
    const api = await sendRaw(host.port, '/api/call/station.status', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(api.status).toBe(401);
    expect(errorOf(api).code).toBe('host.token');

    const media = await sendRaw(host.port, '/media/anything/original');
    expect(media.status).toBe(401);
    expect(errorOf(media).code).toBe('host.token');

    expect((await sendRaw(host.port, '/')).status).toBe(401);
  });

  it('refuses a wrong token as bearer, cookie or address', async () => {
    const wrong = `${host.token.slice(0, -2)}xx`;
    const res = await call('station.status', {}, { headers: { Authorization: `Bearer ${wrong}` } });
    expect(res.status).toBe(401);
    // The host token is a bearer secret only: neither a cookie nor an address opens anything with it.
    for (const value of [wrong, host.token]) {
      const cookie = await sendRaw(host.port, '/', { headers: { Cookie: `station_token_${host.port}=${value}` } });
      expect(cookie.status).toBe(401);
      const address = await sendRaw(host.port, `/?token=${value}`);
      expect(address.status).toBe(401);
      expect(address.headers['set-cookie']).toBeUndefined();
    }
  });

  it('moves a one-time link into an HttpOnly SameSite=Strict cookie on first visit', async () => {
    const link = new URL(host.newLink());
    expect(link.origin).toBe(`http://127.0.0.1:${host.port}`);
    const cookie = await visitLink(link);
    const page = await sendRaw(host.port, '/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe(INDEX_HTML);
    const api = await call('station.status', {}, { headers: { Authorization: '', Cookie: cookie } });
    expect(api.status).toBe(200);
  });
});

/** Visits a one-time link as a fresh browser would, and returns the `name=value` cookie it set. */
async function visitLink(link: URL): Promise<string> {
  const visit = await sendRaw(host.port, `${link.pathname}${link.search}`);
  expect(visit.status).toBe(303);
  expect(visit.headers.location).toBe('/');
  expect(visit.headers['cache-control']).toBe('no-store');
  const setCookie = visit.headers['set-cookie']?.[0] ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  return setCookie.split(';')[0]!;
}

describe('the address printed at start', () => {
  it('opens the station once: a copy from the history opens nothing', async () => {
    const link = new URL(host.url);
    const token = link.searchParams.get('token')!;
    expect(token).not.toBe(host.token);
    const cookie = await visitLink(link);
    // Another browser (no cookie) with the same address is refused, with a page that says what to do.
    const again = await sendRaw(host.port, `/?token=${token}`);
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.body.toString()).toMatch(/used already.*press Enter/s);
    expect(again.body.toString()).toMatch(/此链接已使用过/);
    // The browser that spent it (it has its cookie) reopening it just goes on.
    const same = await sendRaw(host.port, `/?token=${token}`, { headers: { Cookie: cookie } });
    expect(same.status).toBe(303);
    expect(same.headers['set-cookie']).toBeUndefined();
    // Each new link is one-time too, and independent of the others.
    const [a, b] = [new URL(host.newLink()), new URL(host.newLink())];
    const cookieB = await visitLink(b);
    const cookieA = await visitLink(a);
    expect(cookieA).not.toBe(cookieB);
    expect((await sendRaw(host.port, `${b.pathname}${b.search}`)).status).toBe(401);
  });

  it('is not locked out by cookies another local service planted under its name', async () => {
    const cookie = await visitLink(new URL(host.newLink()));
    const [name, value] = cookie.split('=') as [string, string];
    // Cookies are not port-isolated: a page from another 127.0.0.1 port can set cookies here, and
    // a more specific path is sent first. The old fixed name `station_token_<port>` was guessable.
    expect(name).toMatch(new RegExp(`^station_${host.port}_[0-9a-f]{12}$`));
    const planted = `${name}=planted; ${name}=${'x'.repeat(43)}; station_token_${host.port}=planted; ${cookie}`;
    const page = await sendRaw(host.port, '/', { headers: { Cookie: planted } });
    expect(page.status).toBe(200);
    const api = await call('station.status', {}, { headers: { Authorization: '', Cookie: planted } });
    expect(api.status).toBe(200);
    // Only planted values: refused.
    const onlyPlanted = await sendRaw(host.port, '/', { headers: { Cookie: `${name}=planted; ${name}=${value}x` } });
    expect(onlyPlanted.status).toBe(401);
  });

  it('serves no source maps', async () => {
    const staticDir = join(root, 'web');
    await writeFile(join(staticDir, 'assets', 'app.js.map'), '{"version":3,"sources":["src/secret.ts"]}');
    const map = await sendRaw(host.port, '/assets/app.js.map', { headers: bearer() });
    expect(map.status).toBe(404);
    expect(map.body.toString()).not.toContain('secret');
    const upper = await sendRaw(host.port, '/assets/app.js.MAP', { headers: bearer() });
    expect(upper.status).toBe(404);
    expect((await sendRaw(host.port, '/assets/app.js', { headers: bearer() })).status).toBe(200);
  });

  it('builds the web renderer without source maps', async () => {
    const config = await readFile(join(import.meta.dirname, '..', '..', 'vite.web.config.ts'), 'utf8');
    expect(config).toMatch(/sourcemap:\s*false/);
  });
});

describe('host and origin checks', () => {
  it('refuses a foreign Host header, even with the token (DNS rebinding)', async () => {
    const res = await call('station.status', {}, { headers: { Host: `evil.example:${host.port}` } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('host.origin');
  });

  it('refuses a foreign Origin on calls and media', async () => {
    const res = await call('station.status', {}, { headers: { Origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('host.origin');
    const media = await sendRaw(host.port, '/media/x/original', {
      headers: { ...bearer(), Origin: `http://127.0.0.1:${host.port + 1}` },
    });
    expect(media.status).toBe(403);
  });

  it('accepts its own origin and localhost', async () => {
    const own = await call('station.status', {}, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
    expect(own.status).toBe(200);
    const localhost = await call('station.status', {}, { headers: { Host: `localhost:${host.port}` } });
    expect(localhost.status).toBe(200);
  });

  it('sends the security headers on every answer', async () => {
    for (const res of [await call('station.status', {}), await sendRaw(host.port, '/')]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });
});

describe('RPC', () => {
  it('answers an unknown method with 404 method.unknown', async () => {
    const res = await call('nope.nothing', {});
    expect(res.status).toBe(404);
    expect(errorOf(res).code).toBe('method.unknown');
    const proto = await call('__proto__', {});
    expect(proto.status).toBe(404);
  });

  it('answers malformed JSON, a schema violation and a non-JSON body with 400 input.invalid', async () => {
    const broken = await sendRaw(host.port, '/api/call/auth.signIn', {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(broken.status).toBe(400);
    expect(errorOf(broken).code).toBe('input.invalid');

    const invalid = await call('auth.signIn', { name: 42 });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid).code).toBe('input.invalid');

    const form = await sendRaw(host.port, '/api/call/station.status', {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'a=1',
    });
    expect(form.status).toBe(400);
    expect(errorOf(form).code).toBe('input.invalid');
  });

  it('refuses a body over 1 MB without reading it all', async () => {
    const res = await sendRaw(host.port, '/api/call/station.status', {
      method: 'POST',
      headers: { ...bearer(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    expect(errorOf(res).code).toBe('input.invalid');
  });

  it('runs setup → sign-in → whoami, with the session in X-Station-Session', async () => {
    const status = valueOf<{ setupRequired: boolean }>(await call('station.status', {}));
    expect(status.setupRequired).toBe(true);

    const setup = valueOf<{ sessionId: string; account: { name: string; role: string } }>(
      await call('auth.setupAdmin', ADMIN),
    );
    expect(setup.account).toMatchObject({ name: ADMIN.name, role: 'admin' });

    const again = await call('auth.setupAdmin', ADMIN);
    expect(again.status).toBe(409);
    expect(errorOf(again).code).toBe('setup.alreadyDone');

    const wrong = await call('auth.signIn', { name: ADMIN.name, password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(errorOf(wrong).code).toBe('auth.invalid');

    const session = valueOf<{ sessionId: string }>(await call('auth.signIn', ADMIN));
    const me = valueOf<{ account: { name: string } }>(await call('auth.whoami', {}, { sessionId: session.sessionId }));
    expect(me.account.name).toBe(ADMIN.name);

    const anonymous = await call('auth.whoami', {});
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe('auth.required');
  });
});

describe('media over HTTP', () => {
  let sessionId: string;
  let itemId: string;
  let original: Buffer;

  beforeAll(async () => {
    sessionId = valueOf<{ sessionId: string }>(await call('auth.signIn', ADMIN)).sessionId;
    const source = getMediaFixtures().h264;
    original = await readFile(source);

    const events = collectEvents(host.port, host.token, sessionId, (frame) => frame.event === 'import.finished');
    const { importId } = valueOf<{ importId: string }>(await call('import.start', { paths: [source] }, { sessionId }));
    const frames = await events.done;
    expect(frames.some((frame) => frame.event === 'import.progress')).toBe(true);
    const finished = frames.at(-1)?.payload as { importId: string };
    expect(finished.importId).toBe(importId);

    const record = valueOf<{ files: Array<{ status: string; itemId: string | null }> }>(
      await call('import.get', { importId }, { sessionId }),
    );
    expect(record.files[0]?.status).toBe('imported');
    itemId = record.files[0]!.itemId!;
    // The page opens an item (its detail) before it plays it: only then is streaming a view.
    valueOf(await call('items.get', { id: itemId }, { sessionId }));
  });

  const media = (range?: string, init: RawRequest = {}) =>
    sendRaw(host.port, `/media/${encodeURIComponent(itemId)}/original?s=${encodeURIComponent(sessionId)}`, {
      ...init,
      headers: { ...bearer(), ...(range ? { Range: range } : {}), ...init.headers },
    });

  it('sends the whole original with 200 when no range is asked', async () => {
    const res = await media();
    expect(res.status).toBe(200);
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.headers['content-type']).toMatch(/^video\/mp4/);
    expect(Number(res.headers['content-length'])).toBe(original.length);
    expect(createHash('sha256').update(res.body).digest('hex')).toBe(
      createHash('sha256').update(original).digest('hex'),
    );
  });

  it.each([
    ['bytes=0-99', 0, 99],
    ['bytes=1000-', 1000, -1],
    ['bytes=-100', -100, -1],
  ])('answers %s with 206 and the exact bytes', async (range, from, to) => {
    const size = original.length;
    const start = from < 0 ? size + from : from;
    const end = to < 0 ? size - 1 : to;
    const res = await media(range);
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes ${start}-${end}/${size}`);
    expect(Number(res.headers['content-length'])).toBe(end - start + 1);
    expect(res.body.equals(original.subarray(start, end + 1))).toBe(true);
  });

  it('answers a range past the end with 416 and the size', async () => {
    const res = await media(`bytes=${original.length}-`);
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${original.length}`);
  });

  it('answers HEAD with the headers and no body', async () => {
    const res = await media(undefined, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(Number(res.headers['content-length'])).toBe(original.length);
    expect(res.body.length).toBe(0);
    const partial = await media('bytes=10-19', { method: 'HEAD' });
    expect(partial.status).toBe(206);
    expect(partial.headers['content-range']).toBe(`bytes 10-19/${original.length}`);
  });

  it('refuses media without a session, and unknown items or variants', async () => {
    const anonymous = await sendRaw(host.port, `/media/${itemId}/original`, { headers: bearer() });
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous).code).toBe('auth.required');

    const unknown = await sendRaw(host.port, `/media/no-such-item/original?s=${sessionId}`, { headers: bearer() });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown).code).toBe('media.notFound');

    const variant = await sendRaw(host.port, `/media/${itemId}/secret?s=${sessionId}`, { headers: bearer() });
    expect(variant.status).toBe(404);
    expect(errorOf(variant).code).toBe('media.notFound');

    // Only a filmstrip has parts (sheets); none is made in these tests, and a bad part is refused as such.
    for (const path of [
      `/media/${itemId}/original?part=0&s=${sessionId}`,
      `/media/${itemId}/filmstrip?part=-1&s=${sessionId}`,
    ]) {
      const refused = await sendRaw(host.port, path, { headers: bearer() });
      expect(refused.status).toBe(404);
      expect(errorOf(refused).code).toBe('media.notFound');
    }
    const sheet = await sendRaw(host.port, `/media/${itemId}/filmstrip?part=2&s=${sessionId}`, { headers: bearer() });
    expect(sheet.status).toBe(404);
  });

  it('keeps the stored file intact after streaming it', async () => {
    const res = await media('bytes=0-0');
    expect(res.status).toBe(206);
    expect((await stat(getMediaFixtures().h264)).size).toBe(original.length);
  });
});

describe('static files', () => {
  const get = (path: string) => sendRaw(host.port, path, { headers: bearer() });

  it('serves assets with their MIME type and falls back to index.html for app routes', async () => {
    const asset = await get('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
    const route = await get('/items/abc');
    expect(route.status).toBe(200);
    expect(route.headers['content-type']).toMatch(/^text\/html/);
    expect(route.body.toString()).toBe(INDEX_HTML);
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('never leaves the static root', async () => {
    for (const path of [
      '/..%2fsecret.txt',
      '/..%2F..%2Fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
    ]) {
      const res = await get(path);
      expect(res.body.toString(), path).not.toContain('outside the static root');
    }
    // By name the link is inside the root; only its real path shows where it leads.
    expect((await get('/assets/link.txt')).status).toBe(404);
    // Node does not normalise a raw `..` in the request line; the host must.
    const raw = await get('/../secret.txt');
    expect(raw.body.toString()).not.toContain('outside the static root');
  });
});

describe('event stream', () => {
  it('is refused without a signed-in session, and to a session that has signed out', async () => {
    const none = await sendRaw(host.port, '/api/events', { headers: { Authorization: `Bearer ${host.token}` } });
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body.toString()).error.code).toBe('auth.required');

    const sessionId = valueOf<{ sessionId: string }>(await call('auth.signIn', ADMIN)).sessionId;
    await call('auth.signOut', {}, { sessionId });
    const ended = await sendRaw(host.port, `/api/events?s=${encodeURIComponent(sessionId)}`, {
      headers: { Authorization: `Bearer ${host.token}` },
    });
    expect(ended.status).toBe(401);
  });
});

describe('close()', () => {
  it('ends event streams and stops listening, leaving the engine open', async () => {
    const extra = await startWebHost({ engine, staticDir: join(root, 'web'), log });
    const sessionId = valueOf<{ sessionId: string }>(await call('auth.signIn', ADMIN)).sessionId;
    const stream = collectEvents(extra.port, extra.token, sessionId, () => false);
    await stream.opened;
    await extra.close();
    await expect(stream.done).resolves.toEqual([]);
    await expect(sendRaw(extra.port, '/')).rejects.toThrow();
    expect(valueOf<{ setupRequired: boolean }>(await call('station.status', {})).setupRequired).toBe(false);
  });
});

describe('the renderer HTTP client against the host', () => {
  it('keeps the session from sign-in, throws AppError with codes, and forgets the session on sign-out', async () => {
    const client = createHttpClient({ baseUrl: `http://127.0.0.1:${host.port}`, token: host.token });
    await expect(client.call('auth.signIn', { name: ADMIN.name, password: 'wrong password' })).rejects.toMatchObject({
      code: 'auth.invalid',
    });

    const session = await client.call('auth.signIn', ADMIN);
    expect((await client.call('auth.whoami', {})).account.name).toBe(ADMIN.name);
    expect(client.mediaUrl('item 1', 'thumbnail')).toBe(
      `http://127.0.0.1:${host.port}/media/item%201/thumbnail?s=${encodeURIComponent(session.sessionId)}`,
    );
    expect(client.mediaUrl('item 1', 'filmstrip', 4)).toBe(
      `http://127.0.0.1:${host.port}/media/item%201/filmstrip?s=${encodeURIComponent(session.sessionId)}&part=4`,
    );

    await client.call('auth.signOut', {});
    const error = await client.call('auth.whoami', {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'auth.required' });
    expect(client.mediaUrl('x', 'original')).toBe(`http://127.0.0.1:${host.port}/media/x/original`);
  });
});

describe('the log', () => {
  it('holds no unexpected errors after all of the above', () => {
    expect(logged.filter((entry) => entry.level === 'error')).toEqual([]);
  });
});

describe('sources from the browser', () => {
  it('refuses to list /etc or the data folder', async () => {
    const session = valueOf<{ sessionId: string }>(await call('auth.signIn', ADMIN));
    for (const path of ['/etc', '/proc/self', join(root, 'data')]) {
      const res = await call('fs.listDir', { path }, { sessionId: session.sessionId });
      expect(res.status).toBe(403);
      expect(errorOf(res).code).toBe(path.endsWith('data') ? 'import.pathInStation' : 'import.pathNotAllowed');
    }
  });
});
