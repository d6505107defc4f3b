import { truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import {
  listNames,
  listStoredShas,
  makeSparseFile,
  makeSparseFiles,
  nextEvent,
  openStation,
  type TestStation,
} from './harness';

/**
 * Imports interrupted part-way, on real files: the source vanishes under the reader, the user
 * cancels. Sparse files make a copy last long enough to interrupt without waiting on a clock:
 * the test acts on the first progress event that shows bytes being copied.
 */

const GiB = 1024 * 1024 * 1024;

let station: TestStation;

beforeEach(async () => {
  station = await openStation();
});

afterEach(async () => {
  await station?.cleanup();
});

const firstCopyingProgress = (importIdRef: { id: string | null }) =>
  nextEvent(
    station.engine,
    'import.progress',
    (p) => p.phase === 'copying' && p.fileBytesDone > 0 && (importIdRef.id === null || p.importId === importIdRef.id),
  );

describe('a source that shrinks while it is read', () => {
  it('fails the file as vanished, stores nothing and leaves no temporary file', async () => {
    const path = await makeSparseFile(join(station.root, 'card.mp4'), 3 * GiB);
    const shrunk = firstCopyingProgress({ id: null }).then(async (p) => {
      await truncate(path, 4096);
      return p;
    });
    const { importId } = await station.call('import.start', { paths: [path] });
    const progress = await shrunk;
    expect(progress.importId).toBe(importId);
    const record = await station.engine.waitForImport(importId);

    expect(record.files).toHaveLength(1);
    const [file] = record.files;
    expect(file!.status).toBe('failed');
    expect(['vanished', 'changedDuringRead']).toContain(file!.reasonCode);
    expect(file).toMatchObject({ itemId: null, sha256: null });
    expect(record).toMatchObject({ state: 'completed', safeToWipe: false });
    expect(record.counts.failed).toBe(1);
    expect(await listStoredShas(station.dataDir)).toEqual([]);
    expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
    expect((await station.call('library.query', {})).total).toBe(0);
    expect((await station.engine.check({ rehash: false })).ok).toBe(true);
  });
});

describe('cancelling an import', () => {
  it('ends the file in flight and every later one as cancelled, keeping files finished before', async () => {
    const fx = getMediaFixtures();
    const big = await makeSparseFiles(join(station.root, 'card'), 3, 2 * GiB);
    const ref: { id: string | null } = { id: null };
    const cancelled = firstCopyingProgress(ref).then(async (p) => {
      await station.call('import.cancel', { importId: p.importId });
      return p;
    });
    // A small file first, so the record shows one finished file kept alongside the cancelled ones.
    const { importId } = await station.call('import.start', { paths: [fx.h264, ...big] });
    ref.id = importId;
    const progress = await cancelled;
    expect(progress.currentPath).toBe(big[0]);
    const record = await station.engine.waitForImport(importId);

    expect(record.state).toBe('cancelled');
    expect(record.safeToWipe).toBe(false);
    expect(record.files.map((f) => [f.originalName, f.status, f.reasonCode])).toEqual([
      ['h264.mp4', 'imported', null],
      ['big-00.mp4', 'failed', 'cancelled'],
      ['big-01.mp4', 'failed', 'cancelled'],
      ['big-02.mp4', 'failed', 'cancelled'],
    ]);
    // No half item: only the finished file is in the library and the store.
    const library = await station.call('library.query', {});
    expect(library.items.map((i) => i.originalName)).toEqual(['h264.mp4']);
    expect(await listStoredShas(station.dataDir)).toEqual([library.items[0]!.sha256]);
    expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);

    const { entries } = await station.call('custody.list', { subject: importId });
    expect(entries.map((e) => e.action)).toEqual(['import.start', 'import.cancel']);
    expect(entries[1]).toMatchObject({ actor: 'admin', details: { safeToWipe: false } });

    const report = await station.engine.check({ rehash: true });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('lets the next import run after a cancel', async () => {
    const fx = getMediaFixtures();
    const [big] = await makeSparseFiles(join(station.root, 'card'), 1, 2 * GiB);
    const cancelled = firstCopyingProgress({ id: null }).then((p) =>
      station.call('import.cancel', { importId: p.importId }),
    );
    const { importId } = await station.call('import.start', { paths: [big!] });
    await cancelled;
    expect((await station.engine.waitForImport(importId)).state).toBe('cancelled');
    const next = await station.importAndWait([fx.audio]);
    expect(next).toMatchObject({ state: 'completed', safeToWipe: true, counts: { imported: 1 } });
    expect((await station.engine.check({ rehash: true })).ok).toBe(true);
  });
});

/**
 * The same, while the copy is read back: the engine's seam runs after a slice of the copy is
 * flushed and before that slice is read back, with the next slices being copied meanwhile.
 */
describe('an import interrupted while its flushed slices are read back', () => {
  it('fails a source that shrinks then as vanished, and keeps nothing', async () => {
    const path = await makeSparseFile(join(station.root, 'card.mp4'), 3 * GiB);
    const slices: Array<{ start: number; end: number; last: boolean }> = [];
    await station.reopen({
      testHooks: {
        beforeVerify: async (_copy, slice) => {
          slices.push(slice);
          if (slices.length === 1) await truncate(path, 4096);
        },
      },
    });
    const record = await station.importAndWait([path]);

    expect(slices[0]).toMatchObject({ start: 0, last: false });
    expect(slices.some((s) => s.last)).toBe(false);
    expect(record.files[0]).toMatchObject({ status: 'failed', reasonCode: 'vanished', itemId: null, sha256: null });
    expect(record.files[0]!.reasonDetail).toMatch(/^read \d+ bytes of a file that was 3221225472 bytes when opened$/);
    expect(record).toMatchObject({ state: 'completed', safeToWipe: false });
    expect(await listStoredShas(station.dataDir)).toEqual([]);
    expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
    const { entries } = await station.call('custody.list', { subject: record.id });
    expect(entries.map((e) => e.action)).toEqual(['import.start', 'import.failed', 'import.finish']);
    expect((await station.engine.check({ rehash: false })).ok).toBe(true);
  });

  it('is cancelled cleanly, and the next import runs', async () => {
    const fx = getMediaFixtures();
    const [big] = await makeSparseFiles(join(station.root, 'card'), 1, 2 * GiB);
    let started: (id: string) => void = () => undefined;
    const importIdKnown = new Promise<string>((resolve) => (started = resolve));
    let slices = 0;
    await station.reopen({
      testHooks: {
        beforeVerify: async () => {
          if (++slices === 1) await station.call('import.cancel', { importId: await importIdKnown });
        },
      },
    });
    const { importId } = await station.call('import.start', { paths: [big!] });
    started(importId);
    const record = await station.engine.waitForImport(importId);

    expect(slices).toBe(1);
    expect(record.state).toBe('cancelled');
    expect(record.files.map((f) => [f.status, f.reasonCode])).toEqual([['failed', 'cancelled']]);
    expect(await listStoredShas(station.dataDir)).toEqual([]);
    expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);

    const next = await station.importAndWait([fx.audio]);
    expect(next).toMatchObject({ state: 'completed', safeToWipe: true, counts: { imported: 1 } });
    expect((await station.engine.check({ rehash: true })).ok).toBe(true);
  });
});
