/**
 * A small editor of MP4/QuickTime box trees for tests: the structures cameras and editors write
 * that ffmpeg cannot be asked to write (co64, many stsc entries, version-1 boxes, edit lists of a
 * chosen shape, sync sample tables that leave keyframes out) and hostile ones, made from a real
 * recording by rewriting its moov. Only the containers on the way to the sample tables are opened;
 * every other box is kept as bytes.
 */

export interface Box {
  type: string;
  /** A leaf's payload (after its header); absent on a container. */
  payload?: Buffer;
  children?: Box[];
}

const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf', 'mvex']);

export function parseBoxes(bytes: Buffer, start = 0, end = bytes.length): Box[] {
  const out: Box[] = [];
  let at = start;
  while (at + 8 <= end) {
    let size = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(bytes.readBigUInt64BE(at + 8));
      header = 16;
    }
    if (size === 0) size = end - at;
    if (size < header || at + size > end) throw new Error(`box ${type} at ${at} does not fit`);
    if (CONTAINERS.has(type)) out.push({ type, children: parseBoxes(bytes, at + header, at + size) });
    else out.push({ type, payload: Buffer.from(bytes.subarray(at + header, at + size)) });
    at += size;
  }
  return out;
}

export function serializeBoxes(boxes: Box[]): Buffer {
  return Buffer.concat(
    boxes.map((b) => {
      const body = b.children ? serializeBoxes(b.children) : (b.payload ?? Buffer.alloc(0));
      const header = Buffer.alloc(8);
      header.writeUInt32BE(body.length + 8, 0);
      header.write(b.type, 4, 'latin1');
      return Buffer.concat([header, body]);
    }),
  );
}

export const childrenOf = (b: Box, type: string): Box[] => (b.children ?? []).filter((c) => c.type === type);

export function childOf(b: Box, type: string): Box {
  const found = childrenOf(b, type)[0];
  if (!found) throw new Error(`no ${type} in ${b.type}`);
  return found;
}

export const stblOf = (trak: Box): Box => childOf(childOf(childOf(trak, 'mdia'), 'minf'), 'stbl');

export const isVideoTrak = (trak: Box): boolean =>
  childOf(childOf(trak, 'mdia'), 'hdlr').payload?.toString('latin1', 8, 12) === 'vide';

export function videoTrakOf(moov: Box): Box {
  const trak = childrenOf(moov, 'trak').find(isVideoTrak);
  if (!trak) throw new Error('no video trak');
  return trak;
}

/** A full box payload: version, flags, then `rest`. */
export function fullBox(version: number, flags: number, rest: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt8(version, 0);
  header.writeUIntBE(flags, 1, 3);
  return Buffer.concat([header, rest]);
}

export function uint32s(values: number[]): Buffer {
  const bytes = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => bytes.writeUInt32BE(v >>> 0, i * 4));
  return bytes;
}

/** A version-0 table box payload of 32-bit fields: the entry count, then the entries. */
export function tablePayload(entries: number[][]): Buffer {
  return fullBox(0, 0, uint32s([entries.length, ...entries.flat()]));
}

/** The 32-bit entries of a version-0 table box, `width` fields each. */
export function tableEntries(box: Box, width: number): number[][] {
  const p = box.payload ?? Buffer.alloc(8);
  return Array.from({ length: p.readUInt32BE(4) }, (_, i) =>
    Array.from({ length: width }, (_, k) => p.readUInt32BE(8 + 4 * (width * i + k))),
  );
}

export function setTable(stbl: Box, type: string, payload: Buffer): void {
  const children = stbl.children ?? [];
  const at = children.findIndex((b) => b.type === type);
  if (at >= 0) children[at] = { type, payload };
  else children.push({ type, payload });
  stbl.children = children;
}

export function chunkOffsets(stbl: Box): number[] {
  const stco = childrenOf(stbl, 'stco')[0];
  if (stco) return tableEntries(stco, 1).map(([o]) => o ?? 0);
  const p = childOf(stbl, 'co64').payload ?? Buffer.alloc(8);
  return Array.from({ length: p.readUInt32BE(4) }, (_, i) => Number(p.readBigUInt64BE(8 + 8 * i)));
}

/** Replaces the chunk offset table: `stco`, or `co64` (64-bit) when `wide`. */
export function setChunkOffsets(stbl: Box, offsets: number[], wide: boolean): void {
  stbl.children = (stbl.children ?? []).filter((c) => c.type !== 'stco' && c.type !== 'co64');
  if (!wide) return setTable(stbl, 'stco', tablePayload(offsets.map((o) => [o])));
  const payload = Buffer.alloc(8 + 8 * offsets.length);
  payload.writeUInt32BE(offsets.length, 4);
  offsets.forEach((o, i) => payload.writeBigUInt64BE(BigInt(o), 8 + 8 * i));
  stbl.children.push({ type: 'co64', payload });
}

/** Each sample's size and file offset, from stsz, stsc and the chunk offsets. */
export function sampleLayout(stbl: Box): { sizes: number[]; positions: number[] } {
  const stsz = childOf(stbl, 'stsz').payload ?? Buffer.alloc(12);
  const constant = stsz.readUInt32BE(4);
  const count = stsz.readUInt32BE(8);
  const sizes = Array.from({ length: count }, (_, i) => (constant ? constant : stsz.readUInt32BE(12 + 4 * i)));
  const rows = tableEntries(childOf(stbl, 'stsc'), 3);
  const positions: number[] = [];
  let sample = 0;
  let row = 0;
  chunkOffsets(stbl).forEach((offset, chunk) => {
    while (rows[row + 1]?.[0] === chunk + 1) row++;
    let at = offset;
    for (let k = 0; k < (rows[row]?.[1] ?? 0) && sample < count; k++, sample++) {
      positions.push(at);
      at += sizes[sample] ?? 0;
    }
  });
  return { sizes, positions };
}

/**
 * `file` with `edit` applied to its moov. When the moov comes before the media data and changes
 * size, every chunk offset is moved by the difference, so the samples stay where the tables say.
 */
export function editMoov(file: Buffer, edit: (moov: Box) => void): Buffer {
  let at = 0;
  let moovAt = -1;
  let moovEnd = -1;
  while (at + 8 <= file.length) {
    const size32 = file.readUInt32BE(at);
    const size = size32 === 1 ? Number(file.readBigUInt64BE(at + 8)) : size32 || file.length - at;
    if (file.toString('latin1', at + 4, at + 8) === 'moov') [moovAt, moovEnd] = [at, at + size];
    at += size;
  }
  const [moov] = parseBoxes(file, moovAt, moovEnd);
  if (!moov) throw new Error('no moov');
  edit(moov);
  let bytes = serializeBoxes([moov]);
  const delta = bytes.length - (moovEnd - moovAt);
  if (delta !== 0 && file.indexOf('mdat', moovEnd, 'latin1') > 0) {
    for (const trak of childrenOf(moov, 'trak')) {
      const stbl = stblOf(trak);
      setChunkOffsets(
        stbl,
        chunkOffsets(stbl).map((o) => (o > moovAt ? o + delta : o)),
        childrenOf(stbl, 'co64').length > 0,
      );
    }
    bytes = serializeBoxes([moov]);
  }
  return Buffer.concat([file.subarray(0, moovAt), bytes, file.subarray(moovEnd)]);
}
