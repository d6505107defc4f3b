import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/core/db/database';
import { readFilmstripIndex } from '../../src/core/jobs/filmstripIndex';
import { stationLayout } from '../../src/core/store/layout';
import { getMediaFixtures } from '../fixtures';
import { openStation, sha256File, type TestStation } from './harness';

// The filmstrip as the station makes it in the background: one tile per keyframe, sheets served
// by part, the index kept with the derived row, and first-format filmstrips made again.
const fx = getMediaFixtures();
let station: TestStation | undefined;
afterEach(async () => {
  await station?.cleanup();
  station = undefined;
});

async function importReview(s: TestStation): Promise<string> {
  const record = await s.importAndWait([fx.review]);
  const itemId = record.files[0]?.itemId;
  if (!itemId) throw new Error('not imported');
  await s.engine.whenJobsIdle();
  return itemId;
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code,
  );

describe('filmstrip', () => {
  it('is made after import, indexed with the derived row, and served sheet by sheet', async () => {
    station = await openStation({ runJobs: true });
    const s = station;
    const itemId = await importReview(s);
    expect((await s.call('items.get', { id: itemId })).filmstrip).toBe('ready');

    const sheet = await s.engine.openMedia(itemId, 'filmstrip', s.ctx, 0);
    expect(sheet).toMatchObject({ mimeType: 'image/jpeg' });
    expect(sheet.path.endsWith(join('filmstrip', '000.jpg'))).toBe(true);
    expect(sheet.size).toBe((await stat(sheet.path)).size);
    expect((await s.engine.openMedia(itemId, 'filmstrip', s.ctx)).path).toBe(sheet.path);
    expect(await codeOf(s.engine.openMedia(itemId, 'filmstrip', s.ctx, 1))).toBe('media.notFound');
    expect(await codeOf(s.engine.openMedia(itemId, 'thumbnail', s.ctx, 0))).toBe('media.notFound');

    await s.engine.close();
    const db = openDatabase(stationLayout(s.dataDir).database);
    try {
      expect(readFilmstripIndex(db, itemId)).toEqual({
        tileWidth: 160,
        tileHeight: 120,
        columns: 10,
        rows: 10,
        sheets: 1,
        timesSec: [0, 1, 2, 3, 4, 5],
      });
      const row = db
        .prepare(`SELECT file, sha256, provenance FROM derived WHERE item_id = ? AND variant = 'filmstrip'`)
        .get(itemId) as { file: string; sha256: string; provenance: string };
      const indexPath = join(stationLayout(s.dataDir).derivedDir, row.file);
      // The row's hash is the index's, and the index holds each sheet's hash.
      expect(row.sha256).toBe(await sha256File(indexPath));
      const index = JSON.parse(await readFile(indexPath, 'utf8')) as { sheetSha256: string[] };
      expect(index.sheetSha256).toEqual([await sha256File(sheet.path)]);
      expect(JSON.parse(row.provenance)).toMatchObject({
        sourceSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        tool: 'ffmpeg',
        mediaTools: { ffmpeg: { version: expect.any(String) }, ffprobe: { version: expect.any(String) } },
        args: expect.arrayContaining(['-skip_frame', 'nokey']),
        timesSec: [0, 1, 2, 3, 4, 5],
      });
    } finally {
      db.close();
    }
  });

  it('makes a first-format filmstrip again when the station opens', async () => {
    station = await openStation({ runJobs: true });
    const s = station;
    const itemId = await importReview(s);
    await s.engine.close();
    const db = openDatabase(stationLayout(s.dataDir).database);
    try {
      db.prepare(`UPDATE derived SET file = ?, provenance = '{}' WHERE item_id = ? AND variant = 'filmstrip'`).run(
        `${itemId.slice(0, 2)}/${itemId}/filmstrip.jpg`,
        itemId,
      );
      expect(readFilmstripIndex(db, itemId)).toBeNull();
    } finally {
      db.close();
    }

    await s.reopen();
    await s.engine.whenJobsIdle();
    expect(s.log.lines.some((l) => l.message.startsWith('filmstrips of the first format'))).toBe(true);
    const sheet = await s.engine.openMedia(itemId, 'filmstrip', s.ctx, 0);
    expect(sheet.path.endsWith(join('filmstrip', '000.jpg'))).toBe(true);
  });
});
