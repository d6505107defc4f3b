import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../core/engine';
import { buildDesktopEngineOptions } from './engineOptions';

const silent = { info() {}, warn() {}, error() {} };
const nodeBuild = path.join(
  path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node',
);
const resources = path.join(path.sep, 'opt', 'Evidence Station', 'resources');
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'station-engine-options-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('buildDesktopEngineOptions', () => {
  it('passes the Electron build of better-sqlite3 from npm start', () => {
    const env = { STATION_SQLITE_BINDING: '/cache/better_sqlite3.node' };
    const options = buildDesktopEngineOptions('/data', { isPackaged: false, resourcesPath: resources, env }, silent);
    expect(options).toMatchObject({ dataDir: '/data', sqliteNativeBinding: '/cache/better_sqlite3.node' });
    expect(options.mediaBundledDir).toBeUndefined();
  });

  it('uses the package build when no binding is named', () => {
    const env = { STATION_SQLITE_BINDING: '' };
    const options = buildDesktopEngineOptions('/data', { isPackaged: false, resourcesPath: resources, env }, silent);
    expect(options.sqliteNativeBinding).toBeUndefined();
  });

  it('gives a packaged app its bundled ffmpeg and ignores a binding from the environment', () => {
    const env = { STATION_SQLITE_BINDING: '/tmp/evil.node' };
    const options = buildDesktopEngineOptions('/data', { isPackaged: true, resourcesPath: resources, env }, silent);
    expect(options.mediaBundledDir).toBe(path.join(resources, 'bin'));
    expect(options.resourcesDir).toBe(path.join(resources, 'resources'));
    expect(options.sqliteNativeBinding).toBeUndefined();
  });
});

describe('the engine with desktop options', () => {
  const runtime = (binding: string) => ({
    isPackaged: false,
    resourcesPath: resources,
    env: { STATION_SQLITE_BINDING: binding },
  });

  it('opens its database through the binding npm start names', async () => {
    const options = buildDesktopEngineOptions(path.join(root, 'ok'), runtime(nodeBuild), silent);
    const engine = await createEngine({ ...options, runJobs: false });
    try {
      expect(await engine.call('station.status', {}, { sessionId: null, via: 'test' })).toMatchObject({
        setupRequired: true,
      });
    } finally {
      await engine.close();
    }
  });

  it('refuses to start on a binding that does not load', async () => {
    const missing = path.join(root, 'no-such', 'better_sqlite3.node');
    const options = buildDesktopEngineOptions(path.join(root, 'bad'), runtime(missing), silent);
    await expect(createEngine({ ...options, runJobs: false })).rejects.toThrow(/no-such/);
  });
});
