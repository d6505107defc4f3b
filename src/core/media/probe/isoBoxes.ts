import type { FileHandle } from 'node:fs/promises';

/**
 * Box headers of ISO base media files (MP4, QuickTime): the one reader of them that the station's
 * own MP4 readers share. Untrusted input: a header that does not fit its parent, or a size that
 * JavaScript cannot hold exactly, is no box (null), never a throw.
 */

export interface IsoBox {
  /** Four characters, as written (latin1). */
  type: string;
  /** Offset of the box's first byte. */
  start: number;
  /** Offset of its payload (after the 8- or 16-byte header). */
  payloadStart: number;
  /** Offset just after the box. */
  end: number;
}

/** Boxes walked at most at one level; camera files have a handful, hostile ones millions. */
export const MAX_BOXES_PER_LEVEL = 512;

/**
 * The header at `offset` in `bytes` (which hold at least the header's 8 or 16 bytes from `offset`):
 * a 32-bit size, or 1 and a 64-bit size, or 0 for "to the end of the parent" (`end`).
 */
export function readBoxHeader(bytes: Buffer, at: number, offset: number, end: number): IsoBox | null {
  if (bytes.length - at < 8) return null;
  const size32 = bytes.readUInt32BE(at);
  const type = bytes.toString('latin1', at + 4, at + 8);
  let headerSize = 8;
  let size = size32;
  if (size32 === 1) {
    if (bytes.length - at < 16) return null;
    const size64 = bytes.readBigUInt64BE(at + 8);
    if (size64 > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    size = Number(size64);
    headerSize = 16;
  } else if (size32 === 0) {
    size = end - offset;
  }
  if (size < headerSize || offset + size > end) return null;
  return { type, start: offset, payloadStart: offset + headerSize, end: offset + size };
}

/** The boxes directly inside `bytes[start, end)` (offsets are into `bytes`); stops at a malformed header. */
export function childBoxes(bytes: Buffer, start: number, end: number): IsoBox[] {
  const found: IsoBox[] = [];
  for (let at = start, i = 0; i < MAX_BOXES_PER_LEVEL && at + 8 <= end; i++) {
    const box = readBoxHeader(bytes, at, at, end);
    if (!box) break;
    found.push(box);
    at = box.end;
  }
  return found;
}

/** The boxes between `start` and `end` of an open file, reading headers only; stops at a malformed header. */
export async function fileBoxes(handle: FileHandle, start: number, end: number): Promise<IsoBox[]> {
  const header = Buffer.alloc(16);
  const found: IsoBox[] = [];
  let offset = start;
  for (let i = 0; i < MAX_BOXES_PER_LEVEL && offset + 8 <= end; i++) {
    const { bytesRead } = await handle.read(header, 0, 16, offset);
    const box = readBoxHeader(header.subarray(0, bytesRead), 0, offset, end);
    if (!box) break;
    found.push(box);
    offset = box.end;
  }
  return found;
}
