import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { listNames, listStoredShas, openStation, sha256File, type TestStation } from './harness';

/**
 * The read-back of the copy from the disk is what proves it: a copy that changed between writing
 * and reading back (bad RAM, a failing disk) must end as `failed`, leave nothing in the store and
 * no item, and be reported as such.
 */

let station: TestStation;
const flipped: string[] = [];

/** Flips one byte in the middle of a flushed slice of the copy, the way a bad sector would. */
async function flipAByte(copyPath: string, slice: { start: number; end: number }): Promise<void> {
  flipped.push(copyPath);
  const handle = await open(copyPath, 'r+');
  try {
    const at = Math.floor((slice.start + slice.end) / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

beforeEach(async () => {
  flipped.length = 0;
  station = await openStation({ testHooks: { beforeVerify: flipAByte } });
});

afterEach(async () => {
  await station?.cleanup();
});

it('fails a file whose stored copy no longer matches the source, and keeps nothing of it', async () => {
  const fx = getMediaFixtures();
  const sourceSha = await sha256File(fx.h264);
  const record = await station.importAndWait([fx.h264]);

  // The small file is one slice: flipped once, in the temporary copy, before it reached the store.
  expect(flipped.map((p) => dirname(p))).toEqual([join(station.dataDir, 'tmp')]);
  expect(record.files).toHaveLength(1);
  expect(record.files[0]).toMatchObject({
    status: 'failed',
    reasonCode: 'copyMismatch',
    itemId: null,
    sha256: sourceSha,
  });
  expect(record.counts.failed).toBe(1);
  expect(record.safeToWipe).toBe(false);
  expect((await station.call('library.query', {})).total).toBe(0);
  expect(await listStoredShas(station.dataDir)).toEqual([]);
  expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
  // The source itself was never touched.
  expect(await sha256File(fx.h264)).toBe(sourceSha);

  const { entries } = await station.call('custody.list', { subject: record.id });
  expect(entries.map((e) => e.action)).toEqual(['import.start', 'import.failed', 'import.finish']);
  expect(entries[1]).toMatchObject({ sha256: sourceSha, details: { reasonCode: 'copyMismatch', sourcePath: fx.h264 } });
  expect(entries[2]!.details).toMatchObject({ counts: { failed: 1 }, safeToWipe: false });

  const report = await station.engine.check({ rehash: true });
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
});

it('fails only the damaged file of several and imports the rest', async () => {
  const fx = getMediaFixtures();
  let calls = 0;
  await station.reopen({
    testHooks: {
      beforeVerify: async (path, slice) => {
        calls++;
        if (calls === 2) await flipAByte(path, slice);
      },
    },
  });
  const record = await station.importAndWait([fx.h264, fx.hevc, fx.audio]);
  expect(record.files.map((f) => [f.originalName, f.status, f.reasonCode])).toEqual([
    ['h264.mp4', 'imported', null],
    ['hevc.mp4', 'failed', 'copyMismatch'],
    ['audio.m4a', 'imported', null],
  ]);
  expect(await listStoredShas(station.dataDir)).toEqual([await sha256File(fx.h264), await sha256File(fx.audio)].sort());
  expect((await station.engine.check({ rehash: true })).ok).toBe(true);
});
