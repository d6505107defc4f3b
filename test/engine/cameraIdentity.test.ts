import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaTools } from '../../src/core/media/tools/binaries';
import { runProcess } from '../../src/core/media/tools/runProcess';
import type { ItemDetail } from '../../src/shared/schemas';
import { appendUdtaToMoov, goProUdta, writeAvchdWithMdpm } from '../fixtures/cameraMetadata';
import { readWithExiftool } from '../support/exiftool';
import { makeTempDir, openStation, removeTree, type TestStation } from './harness';

/**
 * A card with a GoPro clip and an AVCHD clip, imported: the camera each file names is stored with
 * the item (detail, search, the library's camera filters and facets), and the AVCHD clip's
 * recorded time is its stream's, not the file system's.
 */

const GOPRO = { firmware: 'HD9.01.01.60.00', serial: 'C3441324567890', model: 'HERO9 Black' };
let station: TestStation;
let card: string;
let gopro: ItemDetail;
let avchd: ItemDetail;

beforeAll(async () => {
  const tools = await resolveMediaTools({ env: {} });
  const ffmpeg = async (args: string[]) => {
    await runProcess(tools.ffmpeg.path, ['-v', 'error', '-y', ...args], { timeoutMs: 120_000 });
  };
  card = await makeTempDir('camera-card');
  const goproFile = join(card, 'GX010042.MP4');
  await ffmpeg([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', goproFile],
  ]);
  await appendUdtaToMoov(goproFile, goProUdta(GOPRO));
  await writeAvchdWithMdpm(ffmpeg, join(card, '00001.MTS'), {
    local: '2026-03-01T09:30:15',
    offsetMinutes: 540,
    makeCode: 0x0103,
  });
  station = await openStation();
  const record = await station.importAndWait([goproFile, join(card, '00001.MTS')]);
  expect(record.counts).toMatchObject({ imported: 2 });
  const items = await Promise.all(record.files.map((f) => station.call('items.get', { id: f.itemId! })));
  gopro = items.find((i) => i.originalName === 'GX010042.MP4')!;
  avchd = items.find((i) => i.originalName === '00001.MTS')!;
}, 180_000);

afterAll(async () => {
  await station?.cleanup();
  await removeTree(card);
});

describe('camera identity after import', () => {
  it('keeps the model, serial and firmware the GoPro file names, as exiftool reads them', async () => {
    const exif = await readWithExiftool(join(card, 'GX010042.MP4'));
    expect(gopro.media).toMatchObject({
      model: exif['GoPro:Model'],
      serial: exif['GoPro:CameraSerialNumber'],
      firmware: exif['GoPro:FirmwareVersion'],
    });
    expect(gopro.media).toMatchObject(GOPRO);
  });

  it("keeps the AVCHD stream's make and recording time with its zone", async () => {
    const exif = await readWithExiftool(join(card, '00001.MTS'));
    expect(exif['H264:DateTimeOriginal']).toBe('2026:03:01 09:30:15+09:00');
    expect(avchd.media.make).toBe(exif['H264:Make']);
    expect(avchd).toMatchObject({
      recordedAt: '2026-03-01T09:30:15+09:00',
      recordedAtSource: 'container',
      offsetKnown: true,
    });
  });

  it('finds items by camera model and serial, lists them as facets, and searches serial and firmware', async () => {
    const facets = await station.call('library.facets', {});
    expect(facets).toMatchObject({ cameraModels: [GOPRO.model], cameraSerials: [GOPRO.serial] });
    const ids = async (q: Parameters<typeof station.call<'library.query'>>[1]) =>
      (await station.call('library.query', q)).items.map((i) => i.id);
    expect(await ids({ cameraModel: GOPRO.model })).toEqual([gopro.id]);
    expect(await ids({ cameraSerial: GOPRO.serial })).toEqual([gopro.id]);
    expect(await ids({ cameraSerial: 'C0000000000000' })).toEqual([]);
    expect(await ids({ text: 'hd9.01' })).toEqual([gopro.id]);
    expect(await ids({ text: '4567890' })).toEqual([gopro.id]);
    expect(await ids({ text: 'panasonic' })).toEqual([avchd.id]);
  });
});
