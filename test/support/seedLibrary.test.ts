import Database from 'better-sqlite3';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/database';
import { migrate } from '../../src/core/db/migrate';
import { createEngine, type StationEngine } from '../../src/core/engine';
import type { CallContext } from '../../src/core/engineApi';
import { makeTempDir, quietLogger, removeTree } from '../engine/harness';
import { readLibraryPage } from './readLibraryPage';
import { seedLibrary, type SeededLibrary } from './seedLibrary';

/**
 * A seeded station must be one the engine accepts as its own: it opens on it, signs the seeded
 * admin in, finds items by the search index the seeder rebuilt, serves the shared poster and
 * verifies the custody chain. Small counts; batches smaller than the count so several commit.
 */

const ADMIN = { name: 'admin', password: 'correct horse battery', displayName: '管理员' };
const COUNT = 600;

let root: string;
let seeded: SeededLibrary;
let engine: StationEngine;
let ctx: CallContext;

beforeAll(async () => {
  root = await makeTempDir('seed');
  const dataDir = join(root, 'data');
  seeded = await seedLibrary(dataDir, { count: COUNT, admin: ADMIN, thumbnails: true, batch: 250 });
  engine = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
  const session = await engine.call(
    'auth.signIn',
    { name: ADMIN.name, password: ADMIN.password },
    { sessionId: null, via: 'test' },
  );
  ctx = { sessionId: session.sessionId, via: 'test' };
});

afterAll(async () => {
  await engine?.close();
  if (root) await removeTree(root);
});

function triggerNames(db: Database.Database): string[] {
  return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`).all() as { name: string }[])
    .map((row) => row.name)
    .sort();
}

describe('seedLibrary', () => {
  it('fills the library the engine reads, with the probe counts it reports', async () => {
    expect(seeded.items).toBe(COUNT);
    expect((await engine.call('library.query', { limit: 1 }, ctx)).total).toBe(COUNT);
    const byText = await engine.call('library.query', { text: seeded.probe.nameFragment, limit: 1 }, ctx);
    expect(byText.total).toBe(seeded.probe.nameFragmentItems);
    expect(byText.total).toBeGreaterThan(0);
    const byDevice = await engine.call('library.query', { deviceId: seeded.probe.device, limit: 1 }, ctx);
    expect(byDevice.total).toBe(seeded.probe.deviceItems);
    const bySha = await engine.call('library.query', { text: seeded.probe.shaPrefix }, ctx);
    expect(bySha.total).toBe(1);
  });

  it('puts the search triggers back, so later imports are indexed', () => {
    const fresh = openDatabase(':memory:');
    const seededDb = new Database(join(root, 'data', 'station.db'), { readonly: true });
    try {
      migrate(fresh);
      expect(triggerNames(seededDb)).toEqual(triggerNames(fresh));
      expect(triggerNames(seededDb)).toContain('items_fts_insert');
    } finally {
      seededDb.close();
      fresh.close();
    }
  });

  it('leaves a custody chain that verifies, head file included', async () => {
    const verdict = await engine.call('custody.verify', {}, ctx);
    expect(verdict.ok).toBe(true);
    expect(verdict.entries).toBeGreaterThanOrEqual(seeded.custodyEntries);
  });

  it('points videos and photos at one real JPEG and queues no jobs', async () => {
    const page = await engine.call('library.query', { kind: 'video', status: 'ok', limit: 5 }, ctx);
    expect(page.items.every((item) => item.thumbnail === 'ready')).toBe(true);
    const media = await engine.openMedia(page.items[0]!.id, 'thumbnail', ctx);
    const bytes = await readFile(media.path);
    expect(media.mimeType).toBe('image/jpeg');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    const audio = await engine.call('library.query', { kind: 'audio', limit: 5 }, ctx);
    expect(audio.items.every((item) => item.thumbnail === 'none')).toBe(true);
    expect(await engine.call('jobs.summary', {}, ctx)).toEqual({ pending: 0, running: 0, failed: 0 });
  });

  it('reads pages on a separate connection while the engine holds the database', () => {
    const tail = readLibraryPage(join(root, 'data'), { sort: 'importedAt', order: 'desc', offset: COUNT - 2 });
    expect(tail.total).toBe(COUNT);
    expect(tail.names).toHaveLength(2);
  });
});
