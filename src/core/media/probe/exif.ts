import { open, type FileHandle } from 'node:fs/promises';
import exifr from 'exifr';
import type { Gps } from '../../../shared/schemas';
import { parseOffset, type LocalDateTime } from './recordedTime';
import { identityText } from './identityText';

/**
 * Reads a photo (JPEG, PNG, HEIC/HEIF, TIFF/DNG, WebP): dimensions from the file's own structure,
 * and EXIF (time, offset, GPS, make, model, serial, orientation) through exifr. A JPEG without
 * EXIF is fine; a JPEG or PNG whose structure is cut short is undecodable.
 */

export type PhotoFormat = 'jpeg' | 'png' | 'heif' | 'tiff' | 'webp';

export interface PhotoFacts {
  format?: PhotoFormat;
  width?: number;
  height?: number;
  /** Degrees to turn the stored picture clockwise for display, from EXIF Orientation. */
  rotation?: number;
  /** DateTimeOriginal (or CreateDate, ModifyDate) with its EXIF offset when one is present. */
  exifTime?: { local: LocalDateTime; offsetMinutes?: number };
  gps?: Gps;
  make?: string;
  model?: string;
  serial?: string;
  /** Set when the file is not a readable image; the other fields may still be partly filled. */
  undecodableReason?: string;
}

const HEAD_BYTES = 64;
const SCAN_CHUNK_BYTES = 64 * 1024;

export async function readPhoto(file: string): Promise<PhotoFacts> {
  const handle = await open(file, 'r');
  let facts: PhotoFacts;
  try {
    facts = await readStructure(handle);
  } finally {
    await handle.close();
  }
  if (facts.undecodableReason && !facts.format) return facts;
  try {
    Object.assign(facts, readExifTags(await exifr.parse(file, EXIFR_OPTIONS)));
  } catch {
    // exifr throws on images without a metadata block it knows; the picture itself is still fine.
  }
  return facts;
}

async function readStructure(handle: FileHandle): Promise<PhotoFacts> {
  const head = await readAt(handle, 0, HEAD_BYTES);
  const format = detectPhotoFormat(head);
  if (!format) return { undecodableReason: head.length === 0 ? 'empty file' : 'no image signature' };
  if (format === 'jpeg') return { format, ...(await readJpegStructure(handle)) };
  if (format === 'png') return { format, ...(await readPngStructure(handle, head)) };
  return { format };
}

export function detectPhotoFormat(head: Uint8Array): PhotoFormat | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(4, 8) === 'ftyp' && /^(hei[cxms]|hev[cx]|mif1|msf1|avif)$/.test(ascii(8, 12))) return 'heif';
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'tiff';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

/**
 * Walks the JPEG marker segments to the frame header (dimensions) and the start of scan, then
 * looks for the end-of-image marker. Inside entropy-coded data 0xFF is always followed by 0x00 or
 * a restart marker, so the first FF D9 after the scan starts is the real end of the image.
 */
async function readJpegStructure(handle: FileHandle): Promise<Omit<PhotoFacts, 'format'>> {
  let offset = 2;
  let dims: { width: number; height: number } | null = null;
  for (;;) {
    const header = await readAt(handle, offset, 4);
    if (header.length < 2 || header[0] !== 0xff)
      return { undecodableReason: 'JPEG is truncated or corrupt before the image data' };
    const marker = header[1] ?? 0;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      offset += 2;
      continue;
    }
    if (header.length < 4) return { undecodableReason: 'JPEG is truncated or corrupt before the image data' };
    const length = ((header[2] ?? 0) << 8) | (header[3] ?? 0);
    if (isStartOfFrame(marker)) {
      const frame = await readAt(handle, offset + 4, 5);
      const height = ((frame[1] ?? 0) << 8) | (frame[2] ?? 0);
      const width = ((frame[3] ?? 0) << 8) | (frame[4] ?? 0);
      if (frame.length === 5 && width > 0 && height > 0) dims = { width, height };
    }
    if (marker === 0xda) {
      if (!dims) return { undecodableReason: 'JPEG has no frame header with dimensions' };
      const hasEnd = await containsEndOfImage(handle, offset + 2 + length);
      return hasEnd ? dims : { ...dims, undecodableReason: 'JPEG is truncated: no end-of-image marker' };
    }
    if (marker === 0xd9) return { undecodableReason: 'JPEG ends before any image data' };
    offset += 2 + length;
  }
}

/** SOF0–SOF15, except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

async function containsEndOfImage(handle: FileHandle, from: number): Promise<boolean> {
  let position = from;
  let previous = 0;
  for (;;) {
    const chunk = await readAt(handle, position, SCAN_CHUNK_BYTES);
    if (chunk.length === 0) return false;
    for (const byte of chunk) {
      if (previous === 0xff && byte === 0xd9) return true;
      previous = byte;
    }
    position += chunk.length;
  }
}

/** Dimensions from IHDR; the last chunk must be IEND or the file was cut short. */
async function readPngStructure(handle: FileHandle, head: Buffer): Promise<Omit<PhotoFacts, 'format'>> {
  if (head.length < 24 || head.toString('latin1', 12, 16) !== 'IHDR') return { undecodableReason: 'PNG has no header' };
  const dims = { width: head.readUInt32BE(16), height: head.readUInt32BE(20) };
  if (dims.width === 0 || dims.height === 0) return { undecodableReason: 'PNG has zero dimensions' };
  const { size } = await handle.stat();
  const tail = await readAt(handle, Math.max(0, size - 12), 12);
  const ended = tail.length === 12 && tail.toString('latin1', 4, 8) === 'IEND';
  return ended ? dims : { ...dims, undecodableReason: 'PNG is truncated: no IEND chunk' };
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

const EXIFR_OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  ifd1: false,
  interop: false,
  xmp: false,
  icc: false,
  iptc: false,
  jfif: false,
  ihdr: false,
  makerNote: false,
  userComment: false,
  // Raw strings: exifr would revive EXIF local times as Dates in the host's zone.
  reviveValues: false,
  translateValues: false,
};

const ROTATION_BY_ORIENTATION: Record<number, number> = { 1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270 };

/** Maps exifr's output (raw values) to `PhotoFacts`; exported for tests. Pure. */
export function readExifTags(tags: unknown): Omit<PhotoFacts, 'format' | 'width' | 'height' | 'undecodableReason'> {
  if (typeof tags !== 'object' || tags === null) return {};
  const t = tags as Record<string, unknown>;
  const facts: ReturnType<typeof readExifTags> = {};
  const str = (key: string) => {
    const value = t[key];
    return typeof value === 'string' ? identityText(value) : undefined;
  };

  const make = str('Make');
  const model = str('Model');
  const serial = str('BodySerialNumber') ?? str('SerialNumber');
  if (make) facts.make = make;
  if (model) facts.model = model;
  if (serial) facts.serial = serial;
  const rotation = typeof t.Orientation === 'number' ? ROTATION_BY_ORIENTATION[t.Orientation] : undefined;
  if (rotation !== undefined) facts.rotation = rotation;

  const times: [string, string][] = [
    ['DateTimeOriginal', 'OffsetTimeOriginal'],
    ['CreateDate', 'OffsetTimeDigitized'],
    ['ModifyDate', 'OffsetTime'],
  ];
  for (const [timeKey, offsetKey] of times) {
    const local = parseExifDateTime(str(timeKey));
    if (!local) continue;
    const offsetMinutes = parseOffset(str(offsetKey));
    facts.exifTime = offsetMinutes === null ? { local } : { local, offsetMinutes };
    break;
  }

  const { latitude, longitude } = t as { latitude?: unknown; longitude?: unknown };
  if (typeof latitude === 'number' && typeof longitude === 'number' && isOnEarth(latitude, longitude)) {
    const gps: Gps = { lat: latitude, lon: longitude };
    if (typeof t.GPSAltitude === 'number' && Number.isFinite(t.GPSAltitude)) {
      const belowSeaLevel = t.GPSAltitudeRef instanceof Uint8Array ? t.GPSAltitudeRef[0] === 1 : t.GPSAltitudeRef === 1;
      gps.alt = belowSeaLevel ? -t.GPSAltitude : t.GPSAltitude;
    }
    facts.gps = gps;
  }
  return facts;
}

/** Unset GPS fields are written as 0/0 by many cameras; a point at exactly 0,0 is taken as unset. */
function isOnEarth(lat: number, lon: number): boolean {
  return (
    Number.isFinite(lat) &&
    Number.isFinite(lon) &&
    Math.abs(lat) <= 90 &&
    Math.abs(lon) <= 180 &&
    (lat !== 0 || lon !== 0)
  );
}

/** `2026:03:01 09:30:00` → wall clock; blank or zeroed values ("0000:00:00 00:00:00") → null. */
export function parseExifDateTime(text: string | undefined): LocalDateTime | null {
  const match = /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(text ?? '');
  if (!match) return null;
  const [y, m, d, h, mi, s] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y === 0 || m === 0 || d === 0) return null;
  return { y, m, d, h, mi, s };
}
