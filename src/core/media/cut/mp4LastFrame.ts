import { open } from 'node:fs/promises';

/**
 * Gives the last video frame of an MP4 its display time. ffmpeg 4.1 writes no packet durations for
 * variable-frame-rate encodes, so the MP4 muxer records the last sample with a duration of 0 and
 * its edit list ends where that frame starts: players and ffprobe then treat the last frame as
 * hidden. This patches, in place and without changing any box size, the last `stts` entry of the
 * video track and the durations that include it (mdhd, tkhd, the last edit, mvhd).
 */

interface Box {
  type: string;
  /** Offset of the box's first byte in the buffer. */
  start: number;
  /** Offset of its payload. */
  body: number;
  end: number;
}

/** Throws when the file is not an MP4 this function understands (then the clip is refused). */
export async function setLastVideoFrameDuration(file: string, durationSec: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    const { size } = await handle.stat();
    const moov = await findTopLevelBox(handle, size, 'moov');
    const buffer = Buffer.alloc(moov.end - moov.start);
    await handle.read(buffer, 0, buffer.length, moov.start);
    patchMoov(buffer, durationSec);
    await handle.write(buffer, 0, buffer.length, moov.start);
  } finally {
    await handle.close();
  }
}

async function findTopLevelBox(handle: Awaited<ReturnType<typeof open>>, size: number, type: string) {
  const header = Buffer.alloc(16);
  for (let at = 0; at + 8 <= size;) {
    await handle.read(header, 0, 16, at);
    const box = readHeader(header, 0, size - at);
    if (box.type === type) return { start: at, end: at + (box.end - box.start) };
    at += box.end - box.start;
  }
  throw new Error(`no ${type} box`);
}

function readHeader(buf: Buffer, at: number, limit: number): Box {
  let size = buf.readUInt32BE(at);
  const type = buf.toString('latin1', at + 4, at + 8);
  let body = at + 8;
  if (size === 1) {
    size = Number(buf.readBigUInt64BE(at + 8));
    body = at + 16;
  } else if (size === 0) size = limit;
  if (size < body - at || size > limit) throw new Error(`bad ${type} box size ${size}`);
  return { type, start: at, body, end: at + size };
}

function children(buf: Buffer, parent: Box): Box[] {
  const found: Box[] = [];
  for (let at = parent.body; at + 8 <= parent.end;) {
    const box = readHeader(buf, at, parent.end - at);
    found.push(box);
    at = box.end;
  }
  return found;
}

const child = (buf: Buffer, parent: Box, type: string) => children(buf, parent).find((b) => b.type === type);

function patchMoov(buf: Buffer, durationSec: number): void {
  const moov = readHeader(buf, 0, buf.length);
  const mvhd = child(buf, moov, 'mvhd');
  if (!mvhd) throw new Error('no mvhd box');
  const movieScale = readTimescale(buf, mvhd);
  const trak = children(buf, moov)
    .filter((b) => b.type === 'trak')
    .find((t) => {
      const hdlr = path(buf, t, ['mdia', 'hdlr']);
      return hdlr !== undefined && buf.toString('latin1', hdlr.body + 8, hdlr.body + 12) === 'vide';
    });
  const mdhd = trak && path(buf, trak, ['mdia', 'mdhd']);
  const stts = trak && path(buf, trak, ['mdia', 'minf', 'stbl', 'stts']);
  const tkhd = trak && child(buf, trak, 'tkhd');
  if (!trak || !mdhd || !stts || !tkhd) throw new Error('no video track');
  const mediaScale = readTimescale(buf, mdhd);

  const entries = buf.readUInt32BE(stts.body + 4);
  const last = stts.body + 8 + (entries - 1) * 8;
  if (entries === 0 || buf.readUInt32BE(last + 4) !== 0) return;
  if (buf.readUInt32BE(last) !== 1) throw new Error('more than one video sample without a duration');
  const mediaTicks = Math.round(durationSec * mediaScale);
  const movieTicks = Math.round(durationSec * movieScale);
  buf.writeUInt32BE(mediaTicks, last + 4);
  addToDuration(buf, mdhd, mediaTicks);
  const trackDuration = addToDuration(buf, tkhd, movieTicks);
  const elst = path(buf, trak, ['edts', 'elst']);
  if (elst) {
    const version = buf.readUInt8(elst.body);
    const count = buf.readUInt32BE(elst.body + 4);
    const entrySize = version === 1 ? 20 : 12;
    const lastEdit = elst.body + 8 + (count - 1) * entrySize;
    if (count > 0) {
      if (version === 1) buf.writeBigUInt64BE(buf.readBigUInt64BE(lastEdit) + BigInt(movieTicks), lastEdit);
      else buf.writeUInt32BE(buf.readUInt32BE(lastEdit) + movieTicks, lastEdit);
    }
  }
  const movieDuration = durationField(buf, mvhd);
  if (readDuration(buf, movieDuration) < trackDuration) writeDuration(buf, movieDuration, trackDuration);
}

function path(buf: Buffer, from: Box, types: string[]): Box | undefined {
  let box: Box | undefined = from;
  for (const type of types) box = box && child(buf, box, type);
  return box;
}

/** mvhd/mdhd: version, flags, creation, modification, then the timescale. */
function readTimescale(buf: Buffer, box: Box): number {
  const version = buf.readUInt8(box.body);
  return buf.readUInt32BE(box.body + (version === 1 ? 20 : 12));
}

/** Where the duration field is: mvhd/mdhd after the timescale; tkhd after the track id and a reserved word. */
function durationField(buf: Buffer, box: Box): { at: number; wide: boolean } {
  const wide = buf.readUInt8(box.body) === 1;
  const offset = box.type === 'tkhd' ? (wide ? 28 : 20) : wide ? 24 : 16;
  return { at: box.body + offset, wide };
}

function readDuration(buf: Buffer, field: { at: number; wide: boolean }): number {
  return field.wide ? Number(buf.readBigUInt64BE(field.at)) : buf.readUInt32BE(field.at);
}

function writeDuration(buf: Buffer, field: { at: number; wide: boolean }, value: number): void {
  if (field.wide) buf.writeBigUInt64BE(BigInt(value), field.at);
  else buf.writeUInt32BE(value, field.at);
}

function addToDuration(buf: Buffer, box: Box, ticks: number): number {
  const field = durationField(buf, box);
  const value = readDuration(buf, field) + ticks;
  writeDuration(buf, field, value);
  return value;
}
