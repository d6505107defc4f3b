import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { parseExifDateTime, readExifTags, readPhoto } from './exif';

const fx = getMediaFixtures();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'exif-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readPhoto on generated photos', () => {
  it('reads GPS, time with offset, make, model and serial from a phone JPEG', async () => {
    const facts = await readPhoto(fx.photoGps);
    expect(facts).toEqual({
      format: 'jpeg',
      width: 320,
      height: 240,
      rotation: 0,
      make: 'Apple',
      model: 'iPhone 15 Pro',
      serial: 'SN-0042',
      exifTime: { local: { y: 2026, m: 3, d: 1, h: 9, mi: 30, s: 0 }, offsetMinutes: 480 },
      gps: { lat: expect.closeTo(31.2304, 6), lon: expect.closeTo(121.4737, 6), alt: 12 },
    });
  });

  it('reads a time without offset as such', async () => {
    const facts = await readPhoto(fx.photoNoOffset);
    expect(facts.exifTime).toEqual({ local: { y: 2026, m: 3, d: 1, h: 9, mi: 30, s: 0 } });
    expect(facts).toMatchObject({ make: 'HIKVISION', model: 'DS-MCW406', width: 320, height: 240 });
    expect(facts.gps).toBeUndefined();
  });

  it('accepts a JPEG without EXIF and a PNG without metadata', async () => {
    const bare = path.join(dir, 'bare.jpg');
    const withExif = await readFile(fx.photoGps);
    // Drop the APP1 segment: SOI, then skip FF E1 <len>.
    const app1Length = withExif.readUInt16BE(4);
    await writeFile(bare, Buffer.concat([withExif.subarray(0, 2), withExif.subarray(4 + app1Length)]));
    expect(await readPhoto(bare)).toEqual({ format: 'jpeg', width: 320, height: 240 });
    expect(await readPhoto(fx.photoPng)).toEqual({ format: 'png', width: 320, height: 240 });
  });

  it('reports a truncated JPEG as undecodable but keeps what its EXIF says', async () => {
    const facts = await readPhoto(fx.truncatedJpeg);
    expect(facts.undecodableReason).toBe('JPEG is truncated: no end-of-image marker');
    expect(facts.make).toBe('Apple');
  });

  it('reports a truncated PNG, an empty file and text as undecodable', async () => {
    const png = await readFile(fx.photoPng);
    const cutPng = path.join(dir, 'cut.png');
    await writeFile(cutPng, png.subarray(0, Math.floor(png.length / 2)));
    expect((await readPhoto(cutPng)).undecodableReason).toBe('PNG is truncated: no IEND chunk');
    expect(await readPhoto(fx.zero)).toEqual({ undecodableReason: 'empty file' });
    const fakeJpeg = path.join(dir, 'fake.jpg');
    await copyFile(fx.notes, fakeJpeg);
    expect(await readPhoto(fakeJpeg)).toEqual({ undecodableReason: 'no image signature' });
  });

  it('reports a JPEG cut inside its headers', async () => {
    const cut = path.join(dir, 'headers.jpg');
    await writeFile(cut, (await readFile(fx.photoNoOffset)).subarray(0, 40));
    expect((await readPhoto(cut)).undecodableReason).toMatch(/^JPEG/);
  });
});

describe('readExifTags', () => {
  it('maps orientation, altitude below sea level, and drops 0,0 GPS', () => {
    expect(readExifTags({ Orientation: 6 }).rotation).toBe(90);
    expect(readExifTags({ Orientation: 8 }).rotation).toBe(270);
    const below = readExifTags({ latitude: 31.5, longitude: 35.5, GPSAltitude: 430, GPSAltitudeRef: Uint8Array.of(1) });
    expect(below.gps).toEqual({ lat: 31.5, lon: 35.5, alt: -430 });
    expect(readExifTags({ latitude: 0, longitude: 0 }).gps).toBeUndefined();
  });

  it('falls back from DateTimeOriginal to CreateDate and ModifyDate with their own offsets', () => {
    expect(readExifTags({ CreateDate: '2026:03:01 09:30:00', OffsetTimeDigitized: '-03:00' }).exifTime).toEqual({
      local: { y: 2026, m: 3, d: 1, h: 9, mi: 30, s: 0 },
      offsetMinutes: -180,
    });
    expect(
      readExifTags({ DateTimeOriginal: '0000:00:00 00:00:00', ModifyDate: '2026:03:01 10:00:00' }).exifTime,
    ).toEqual({ local: { y: 2026, m: 3, d: 1, h: 10, mi: 0, s: 0 } });
  });

  it('ignores junk', () => {
    expect(readExifTags(undefined)).toEqual({});
    expect(readExifTags({ Make: '  ', Model: 42 })).toEqual({});
    expect(parseExifDateTime('yesterday')).toBeNull();
  });
});
