import { open, type FileHandle } from 'node:fs/promises';
import { fileBoxes, MAX_BOXES_PER_LEVEL, readBoxHeader } from './isoBoxes';

/**
 * Reads the camera identity GoPro writes in an MP4's `moov/udta`: the `GPMF` box (GoPro's KLV
 * metadata: `MINF` model, `CASN` camera serial, `FMWR` firmware) and the `FIRM` box (firmware,
 * older cameras). ffprobe prints `FIRM` as the `firmware` tag but nothing of GPMF; exifr reads no
 * video; GoPro's `gpmf-extract` reads the telemetry track, not `udta`, and buffers the whole file.
 * So this is a small reader of those two structures only, as exiftool documents them
 * (Image::ExifTool::QuickTime "GoPro", Image::ExifTool::GoPro).
 *
 * Untrusted input: every count and size is bounded, only box headers are read until `udta`, and
 * nothing throws: a malformed or missing box gives an empty answer, never a failed import.
 */

export interface GoProIdentity {
  model?: string;
  serial?: string;
  firmware?: string;
}

/** A GoPro `udta` is a few kilobytes; anything larger is not one we read. */
const MAX_UDTA_BYTES = 1024 * 1024;
const MAX_GPMF_DEPTH = 4;
/** Identity strings are short; a longer "string" is not one. */
const MAX_TEXT_CHARS = 64;

export async function readGoProIdentity(file: string): Promise<GoProIdentity> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    const moov = (await fileBoxes(handle, 0, size)).find((b) => b.type === 'moov');
    if (!moov) return {};
    // ffmpeg and other tools that rewrite a file may leave their own `udta` beside the camera's.
    const identity: GoProIdentity = {};
    for (const udta of (await fileBoxes(handle, moov.payloadStart, moov.end)).filter((b) => b.type === 'udta')) {
      if (udta.end - udta.payloadStart > MAX_UDTA_BYTES) continue;
      const payload = Buffer.alloc(udta.end - udta.payloadStart);
      const { bytesRead } = await handle.read(payload, 0, payload.length, udta.payloadStart);
      const found = parseGoProUdta(payload.subarray(0, bytesRead));
      for (const key of ['model', 'serial', 'firmware'] as const) identity[key] ??= found[key];
    }
    return withoutEmpty(identity);
  } catch {
    // An unreadable or malformed file has no identity we can vouch for; the import goes on.
    return {};
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function withoutEmpty(identity: GoProIdentity): GoProIdentity {
  const out: GoProIdentity = {};
  for (const key of ['model', 'serial', 'firmware'] as const) if (identity[key] !== undefined) out[key] = identity[key];
  return out;
}

/** Reads `FIRM` and `GPMF` from the payload of a `udta` box. Pure; never throws. */
export function parseGoProUdta(udta: Uint8Array): GoProIdentity {
  const bytes = Buffer.from(udta.buffer, udta.byteOffset, udta.byteLength);
  const identity: GoProIdentity = {};
  let firm: string | undefined;
  let offset = 0;
  for (let i = 0; i < MAX_BOXES_PER_LEVEL && offset + 8 <= bytes.length; i++) {
    const box = readBoxHeader(bytes, offset, offset, bytes.length);
    if (!box) break;
    const payload = bytes.subarray(box.payloadStart, box.end);
    if (box.type === 'FIRM') firm = readText(payload);
    if (box.type === 'GPMF') readGpmf(payload, 0, identity);
    offset = box.end;
  }
  if (!identity.firmware && firm) identity.firmware = firm;
  return identity;
}

const GPMF_KEYS: Record<string, keyof GoProIdentity> = { MINF: 'model', CASN: 'serial', FMWR: 'firmware' };
const GPMF_NESTED = 0;
const GPMF_CHAR = 'c'.charCodeAt(0);

/**
 * GPMF is a list of KLVs: a four-character key, a type byte (0: nested list, `c`: characters), the
 * size of one element, a 16-bit repeat count, then size × repeat bytes padded to four.
 */
function readGpmf(bytes: Buffer, depth: number, into: GoProIdentity): void {
  if (depth > MAX_GPMF_DEPTH) return;
  let offset = 0;
  for (let i = 0; i < MAX_BOXES_PER_LEVEL && offset + 8 <= bytes.length; i++) {
    const key = bytes.toString('latin1', offset, offset + 4);
    const type = bytes.readUInt8(offset + 4);
    const length = bytes.readUInt8(offset + 5) * bytes.readUInt16BE(offset + 6);
    const start = offset + 8;
    if (key === '\0\0\0\0' || start + length > bytes.length) return;
    const value = bytes.subarray(start, start + length);
    if (type === GPMF_NESTED) readGpmf(value, depth + 1, into);
    const field = GPMF_KEYS[key];
    if (field && type === GPMF_CHAR && into[field] === undefined) {
      const text = readText(value);
      if (text) into[field] = text;
    }
    offset = start + Math.ceil(length / 4) * 4;
  }
}

/** Printable ASCII up to the first NUL, trimmed; anything else (binary, too long) is no text. */
function readText(bytes: Uint8Array): string | undefined {
  const end = bytes.indexOf(0);
  const text = Buffer.from(end === -1 ? bytes : bytes.subarray(0, end))
    .toString('latin1')
    .trim();
  if (text === '' || text.length > MAX_TEXT_CHARS || !/^[\x20-\x7e]+$/.test(text)) return undefined;
  return text;
}
