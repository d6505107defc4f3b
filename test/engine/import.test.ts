import { copyFile, mkdir, stat, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFileResult, ImportRecord, ItemDetail } from '../../src/shared/schemas';
import { getMediaFixtures, type FixtureName, type MediaFixtures } from '../fixtures';
import { codeOf, listNames, listStoredShas, openStation, sha256File, type TestStation } from './harness';

/**
 * Import outcomes on the generated fixtures, through the engine: every source file gets exactly
 * one outcome, stored copies are read-only and hash like their source, the source is untouched,
 * and the custody log names who did what to which hash.
 */

const LONG_NAME = `${'长'.repeat(5)}${'v'.repeat(190)}.webm`;
const DOTS_NAME = '..foo.mp4';

let fx: MediaFixtures;
let station: TestStation;
let source: string;
let first: ImportRecord;
let firstStartedAfterSeq: number;
/** Hash and mtime of every regular source file before the first import. */
const before = new Map<string, { sha256: string; mtimeMs: number }>();

const COPIED: FixtureName[] = [
  'h264',
  'hevc',
  'mjpeg',
  'located',
  'photoGps',
  'audio',
  'truncated',
  'garbage',
  'zero',
  'notes',
  'bodycam',
  'chineseName',
];

const fileNamed = (record: ImportRecord, name: string): ImportFileResult => {
  const found = record.files.find((f) => f.originalName === name);
  if (!found) throw new Error(`no outcome for ${name} in ${record.files.map((f) => f.originalName).join(', ')}`);
  return found;
};

const itemOf = async (record: ImportRecord, name: string): Promise<ItemDetail> => {
  const id = fileNamed(record, name).itemId;
  if (!id) throw new Error(`${name} has no item`);
  return station.call('items.get', { id });
};

beforeAll(async () => {
  fx = getMediaFixtures();
  station = await openStation();
  source = join(station.root, 'camera');
  await mkdir(join(source, 'sub'), { recursive: true });
  for (const name of COPIED) await copyFile(fx[name], join(source, basename(fx[name])));
  await copyFile(fx.vp8, join(source, LONG_NAME));
  await copyFile(fx.rotated, join(source, 'sub', DOTS_NAME));
  // Points outside the chosen folder: following it would import a file the user did not choose.
  await symlink(fx.photoNoOffset, join(source, 'link.jpg'));
  for (const name of [...(await listNames(source)), `sub/${DOTS_NAME}`]) {
    const path = join(source, name);
    const info = await stat(path);
    if (info.isFile()) before.set(path, { sha256: await sha256File(path), mtimeMs: info.mtimeMs });
  }
  firstStartedAfterSeq = (await station.call('custody.list', { limit: 1 })).total;
  first = await station.importAndWait([source]);
});

afterAll(async () => {
  await station?.cleanup();
});

describe('a folder of mixed files', () => {
  it('gives every source file exactly one outcome', () => {
    const outcomes = Object.fromEntries(first.files.map((f) => [f.relativePath, [f.status, f.reasonCode]]));
    expect(outcomes).toEqual({
      [basename(fx.h264)]: ['imported', null],
      [basename(fx.hevc)]: ['imported', null],
      [basename(fx.mjpeg)]: ['imported', null],
      [basename(fx.located)]: ['imported', null],
      [basename(fx.photoGps)]: ['imported', null],
      [basename(fx.audio)]: ['imported', null],
      [basename(fx.bodycam)]: ['imported', null],
      [basename(fx.chineseName)]: ['imported', null],
      [LONG_NAME]: ['imported', null],
      [`sub/${DOTS_NAME}`]: ['imported', null],
      [basename(fx.truncated)]: ['undecodable', 'probeFailed'],
      [basename(fx.garbage)]: ['undecodable', 'probeFailed'],
      [basename(fx.zero)]: ['skipped', 'empty'],
      [basename(fx.notes)]: ['skipped', 'notMedia'],
      'link.jpg': ['skipped', 'notMedia'],
    });
    expect(first.counts).toEqual({ imported: 10, duplicate: 0, undecodable: 2, skipped: 3, failed: 0 });
    expect(first.state).toBe('completed');
    expect(first.account).toBe('admin');
    expect(first.sources).toEqual([source]);
  });

  it('is not safe to wipe while a non-empty file was left behind', () => {
    expect(first.safeToWipe).toBe(false);
  });

  it('does not follow a symbolic link inside the folder', async () => {
    const link = fileNamed(first, 'link.jpg');
    expect(link).toMatchObject({ status: 'skipped', sha256: null, itemId: null });
    expect(link.reasonDetail).toMatch(/symbolic link/);
    const photo = await sha256File(fx.photoNoOffset);
    expect(await listStoredShas(station.dataDir)).not.toContain(photo);
  });

  it('stores each copy under the SHA-256 of its source, read-only', async () => {
    const stored = first.files.filter((f) => f.itemId);
    expect(stored).toHaveLength(12);
    for (const f of stored) {
      const expected = before.get(f.path)?.sha256;
      expect(f.sha256, f.relativePath).toBe(expected);
      const path = station.engine.storedPathOf(f.sha256!);
      expect(basename(path)).toBe(expected);
      expect(await sha256File(path), f.relativePath).toBe(expected);
      const info = await stat(path);
      expect(info.mode & 0o777, f.relativePath).toBe(0o444);
      expect(info.size).toBe(f.size);
    }
    expect(await listStoredShas(station.dataDir)).toEqual(stored.map((f) => f.sha256).sort());
    expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
  });

  it('leaves every source file exactly as it was', async () => {
    for (const [path, was] of before) {
      const info = await stat(path);
      expect(await sha256File(path), path).toBe(was.sha256);
      expect(info.mtimeMs, path).toBe(was.mtimeMs);
    }
  });

  it('keeps unusual names as they were: Chinese with spaces, 200 characters, leading dots', async () => {
    expect(LONG_NAME).toHaveLength(200);
    const chinese = await itemOf(first, '执法 记录 01.mp4');
    expect(chinese).toMatchObject({
      originalName: '执法 记录 01.mp4',
      relativePath: '执法 记录 01.mp4',
      kind: 'video',
    });
    const long = await itemOf(first, LONG_NAME);
    expect(long).toMatchObject({ originalName: LONG_NAME, kind: 'video', status: 'ok' });
    const dots = await itemOf(first, DOTS_NAME);
    expect(dots).toMatchObject({ originalName: DOTS_NAME, relativePath: `sub/${DOTS_NAME}`, status: 'ok' });
    // The stored name is the hash, never anything derived from the source name.
    expect(basename(station.engine.storedPathOf(dots.sha256))).toBe(dots.sha256);
    const found = await station.call('library.query', { text: '执法 记录' });
    expect(found.items.map((i) => i.id)).toEqual([chinese.id]);
  });

  it('reads video facts: codecs, size, duration', async () => {
    expect((await itemOf(first, 'h264.mp4')).media).toMatchObject({
      kind: 'video',
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 320,
      height: 240,
      durationSec: 3,
      browserPlayable: true,
    });
    expect((await itemOf(first, 'hevc.mp4')).media).toMatchObject({ videoCodec: 'hevc', browserPlayable: false });
    expect((await itemOf(first, 'mjpeg.avi')).media).toMatchObject({ videoCodec: 'mjpeg', width: 320 });
    const audio = await itemOf(first, 'audio.m4a');
    expect(audio).toMatchObject({ kind: 'audio', status: 'ok' });
    expect(audio.media.durationSec).toBeCloseTo(2, 1);
  });

  it('reads place and recorded time from a QuickTime file', async () => {
    const located = await itemOf(first, 'located.mov');
    expect(located.media.gps?.lat).toBeCloseTo(31.2304, 4);
    expect(located.media.gps?.lon).toBeCloseTo(121.4737, 4);
    expect(located.hasGps).toBe(true);
    expect(located.recordedAtSource).toBe('container');
    expect(new Date(located.recordedAt!).toISOString()).toBe('2026-03-01T01:30:00.000Z');
    expect(located.originalRecordedAt).toBe(located.recordedAt);
    expect(located.media).toMatchObject({ make: 'ACME', model: 'BC-9' });
  });

  it('reads GPS and the recorded time with its offset from a photo', async () => {
    const photo = await itemOf(first, 'photo_gps.jpg');
    expect(photo.kind).toBe('photo');
    expect(photo.media.gps?.lat).toBeCloseTo(31.2304, 4);
    expect(photo.media.gps?.lon).toBeCloseTo(121.4737, 4);
    expect(photo.offsetKnown).toBe(true);
    expect(photo.recordedAt).toBe('2026-03-01T09:30:00+08:00');
    expect(photo.recordedAtSource).toBe('exif');
  });

  it('takes device and officer from a body-cam file name into the item and the import record', async () => {
    const cam = await itemOf(first, basename(fx.bodycam));
    expect(cam).toMatchObject({ deviceId: 'DSJ-A8', officerId: '012345' });
    expect(first.deviceIds).toEqual(['DSJ-A8']);
    expect(first.officerIds).toEqual(['012345']);
  });

  it('stores and hashes an undecodable file and says why', async () => {
    for (const name of ['truncated.mp4', 'garbage.mp4']) {
      const item = await itemOf(first, name);
      expect(item.status, name).toBe('undecodable');
      expect(item.reason, name).toBeTruthy();
      expect(fileNamed(first, name).reasonDetail, name).toBe(item.reason);
      expect(await sha256File(station.engine.storedPathOf(item.sha256))).toBe(item.sha256);
      // Reasons reach the UI and exported records: they name the file, never the store's paths.
      expect(item.reason, name).not.toContain(station.dataDir);
    }
  });

  it('records import.start, one import entry per stored file and import.finish, as the account', async () => {
    const { entries } = await station.call('custody.list', { offset: firstStartedAfterSeq, limit: 100 });
    const mine = entries.filter(
      (e) => e.subject === first.id || (e.details as { importId?: string }).importId === first.id,
    );
    expect(mine.map((e) => e.action)).toEqual(['import.start', ...Array<string>(12).fill('import'), 'import.finish']);
    expect(new Set(mine.map((e) => e.actor))).toEqual(new Set(['admin']));
    expect(mine[0]!.details).toMatchObject({ sources: [source], files: 15 });
    expect(mine.at(-1)!.details).toMatchObject({ counts: first.counts, safeToWipe: false });
    const imported = first.files.filter((f) => f.itemId);
    for (const f of imported) {
      const entry = mine.find((e) => e.action === 'import' && e.subject === f.itemId);
      expect(entry, f.relativePath).toMatchObject({ sha256: f.sha256, details: { sourcePath: f.path } });
      // The item points back at the entry that created it.
      const item = await station.call('items.get', { id: f.itemId! });
      expect(item.custodySeqs[0]).toBe(entry!.seq);
      expect(item.importedBy).toBe('admin');
      expect(item.importId).toBe(first.id);
    }
    expect(await station.call('custody.verify', {})).toMatchObject({ ok: true, firstBroken: null });
  });
});

describe('importing the same folder again', () => {
  let second: ImportRecord;
  let storedBefore: string[];
  let itemsBefore: number;
  let seqBefore: number;

  beforeAll(async () => {
    storedBefore = await listStoredShas(station.dataDir);
    itemsBefore = (await station.call('library.query', {})).total;
    seqBefore = (await station.call('custody.list', { limit: 1 })).total;
    second = await station.importAndWait([source]);
  });

  it('marks every stored file a duplicate of the item that already holds its bytes', () => {
    for (const f of first.files) {
      const again = fileNamed(second, f.originalName);
      if (f.itemId) {
        expect(again, f.relativePath).toMatchObject({
          status: 'duplicate',
          duplicateOf: f.itemId,
          itemId: null,
          sha256: f.sha256,
        });
      } else {
        expect(again.status, f.relativePath).toBe(f.status);
      }
    }
    expect(second.counts).toEqual({ imported: 0, duplicate: 12, undecodable: 0, skipped: 3, failed: 0 });
  });

  it('adds no item and no stored file', async () => {
    expect((await station.call('library.query', {})).total).toBe(itemsBefore);
    expect(await listStoredShas(station.dataDir)).toEqual(storedBefore);
    expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
  });

  it('records each duplicate on the custody log, on the existing item', async () => {
    const { entries } = await station.call('custody.list', { offset: seqBefore, limit: 100 });
    const dups = entries.filter((e) => e.action === 'import.duplicate');
    expect(dups).toHaveLength(12);
    for (const e of dups) {
      const f = second.files.find((x) => x.duplicateOf === e.subject);
      expect(f, e.subject ?? '').toBeDefined();
      expect(e).toMatchObject({ actor: 'admin', sha256: f!.sha256, details: { importId: second.id } });
    }
    expect(entries.map((e) => e.action)).toEqual([
      'import.start',
      ...Array<string>(12).fill('import.duplicate'),
      'import.finish',
    ]);
  });
});

describe('the safe-to-wipe verdict', () => {
  it('is true when every file is stored or empty', async () => {
    const clean = join(station.root, 'clean');
    await mkdir(clean);
    await copyFile(fx.photoNoOffset, join(clean, 'photo_nooffset.jpg'));
    await copyFile(fx.zero, join(clean, 'zero.mp4'));
    await copyFile(fx.h264, join(clean, 'h264-again.mp4'));
    const record = await station.importAndWait([clean]);
    expect(record.counts).toEqual({ imported: 1, duplicate: 1, undecodable: 0, skipped: 1, failed: 0 });
    expect(record.safeToWipe).toBe(true);
    const custody = await station.call('custody.list', { subject: record.id });
    expect(custody.entries.at(-1)).toMatchObject({ action: 'import.finish', details: { safeToWipe: true } });
  });

  it('imports a non-media file as kind other when asked to', async () => {
    const notes = join(station.root, 'notes-only');
    await mkdir(notes);
    await copyFile(fx.notes, join(notes, 'notes.txt'));
    const record = await station.importAndWait([notes], { includeNonMedia: true });
    expect(record.files).toMatchObject([{ originalName: 'notes.txt', status: 'imported' }]);
    expect(record.safeToWipe).toBe(true);
    const item = await station.call('items.get', { id: record.files[0]!.itemId! });
    expect(item).toMatchObject({ kind: 'other', status: 'ok' });
    expect(await sha256File(station.engine.storedPathOf(item.sha256))).toBe(await sha256File(fx.notes));
  });

  it('takes a single chosen file as named, and refuses a relative or missing path', async () => {
    const record = await station.importAndWait([fx.photoPng]);
    expect(record.files).toMatchObject([{ relativePath: 'photo.png', status: 'imported' }]);
    expect(await codeOf(station.call('import.start', { paths: ['relative/x.mp4'] }))).toBe('import.sourceNotAbsolute');
    expect(await codeOf(station.call('import.start', { paths: [join(station.root, 'nope')] }))).toBe(
      'import.sourceNotFound',
    );
  });

  it('leaves the station consistent', async () => {
    const report = await station.engine.check({ rehash: true });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, chain: { ok: true } });
    expect(report.rehashed).toBe(report.items);
  });
});
