import { open } from 'node:fs/promises';
import { childBoxes, fileBoxes, type IsoBox } from './isoBoxes';
import type { Rational } from './ffprobeJson';
import type { VideoPacket } from './packets';

/**
 * The video packets of an MP4 or QuickTime file as ffmpeg's demuxer presents them, read from the
 * file's sample table without starting ffprobe. A clip is planned on these packets and cut by
 * ffmpeg, which reads the same file through `libavformat/mov.c`; so every timestamp, keyframe and
 * discard flag here must be the one ffmpeg would give, or the cut lands elsewhere than the plan
 * said. This is a port of what `mov_build_index`, `mov_fix_index` and `mov_read_packet` (FFmpeg
 * 5.1) do for a video track, limited to the structures it was proven on against ffprobe
 * (`clipPlanFromSampleTable.test.ts`): one sample description, no fragments, at most an empty edit and
 * one edit at normal rate, keyframes from `stss` (or every sample), whole `ctts` coverage. For
 * anything else the answer is `unsupported` with the reason, and the caller asks ffprobe.
 *
 * Untrusted input: every count is checked against the bytes that hold it, the moov box is read
 * only when it is of a size a real recording has, and nothing throws for a malformed file.
 */

export type Mp4VideoPackets = ({ supported: true } & Mp4VideoTrackPackets) | { supported: false; reason: string };

export interface Mp4VideoTrackPackets {
  /** How many packets ffprobe would list. */
  count: number;
  /**
   * Packet `i` in decode order, as ffprobe lists it. Made on demand: a plan reads a minute of a
   * recording that may last hours. Durations are not given (ffmpeg takes them from elsewhere).
   * Keyframes are the sync sample table's: ffprobe's H.264 keyframes are its parser's, which can
   * differ (`clipPlanFromSampleTable` checks the pictures a plan depends on).
   */
  packetAt(i: number): VideoPacket | undefined;
  /** Packet `i`'s decode time (ffmpeg's index is sorted by it). */
  dtsAt(i: number): number;
  /** Where packet `i`'s bytes are in the file. */
  sampleAt(i: number): { pos: number; size: number } | undefined;
  /** The sample description's format: `avc1`/`avc3` (H.264) or `hvc1`/`hev1` (HEVC). */
  format: string;
  /** The payload of `avcC` (H.264 only): NAL length size, SPS and PPS. */
  avcC: Buffer | null;
}

/** The track the packets are wanted of, as ffprobe numbered and timed it. */
export interface Mp4VideoTrack {
  /** ffprobe's stream index: the position of the `trak` box in `moov`. */
  index: number;
  timeBase: Rational;
}

/** A 2-hour 60 fps recording has a moov of about 10 MiB; a larger one is not read in-process. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** ffmpeg treats stts deltas above this as broken and rewrites them (`max_stts_delta`). */
const MAX_STTS_DELTA = 0xffffffff - 48000 * 10;
/** ffmpeg drops a ctts with an offset this large as invalid. */
const MAX_CTTS_OFFSET = 1 << 28;
/**
 * The most samples read in-process (19 hours at 30 fps). A table states its count in 4 bytes: a
 * tiny hostile box can claim billions, and every sample costs a few hundred bytes here. A longer
 * recording is planned by ffprobe, which reads only the range.
 */
const MAX_SAMPLES = 1 << 21;
/** ffmpeg ends a track's index at a sample larger than this (`mov_build_index`). */
const MAX_SAMPLE_SIZE = 0x3fffffff;
/** ffmpeg reads timescales as signed 32-bit numbers and takes 1 for one that is not positive. */
const MAX_TIMESCALE = 0x7fffffff;

const unsupported = (reason: string): Mp4VideoPackets => ({ supported: false, reason });

/** Reads the packets of `track` from `file`; `unsupported` when the file is not one this port reproduces. */
export async function readMp4VideoPackets(file: string, track: Mp4VideoTrack): Promise<Mp4VideoPackets> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(file, 'r');
    const { size } = await handle.stat();
    const top = await fileBoxes(handle, 0, size);
    // A box ffmpeg would read that this walk did not see (past a malformed header, or past the
    // boxes it walks) could be a fragment or another moov.
    if (size - (top.at(-1)?.end ?? 0) >= 8) return unsupported('top-level boxes that do not reach the end of the file');
    if (top.some((b) => b.type === 'moof' || b.type === 'mfra')) return unsupported('fragmented MP4');
    // ffmpeg takes a `hoov` holding an mvhd for the movie box.
    if (top.some((b) => b.type === 'hoov' || b.type === 'cmov')) return unsupported('a moov under another name');
    const moovs = top.filter((b) => b.type === 'moov');
    const moov = moovs[0];
    if (!moov || moovs.length > 1) return unsupported(`${moovs.length} moov boxes`);
    if (moov.end - moov.start > MAX_MOOV_BYTES) return unsupported('moov box too large');
    const bytes = Buffer.alloc(moov.end - moov.start);
    const { bytesRead } = await handle.read(bytes, 0, bytes.length, moov.start);
    if (bytesRead !== bytes.length) return unsupported('moov box cut short');
    return videoPacketsFromMoov(bytes, track, size);
  } catch (error) {
    return unsupported(`unreadable: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * The packets of `track` from a whole `moov` box (header included), in a file of `fileSize` bytes.
 * Pure; never throws.
 */
export function videoPacketsFromMoov(moov: Buffer, track: Mp4VideoTrack, fileSize: number): Mp4VideoPackets {
  try {
    const table = readTrack(moov, track);
    if ('reason' in table) return unsupported(table.reason);
    // ffmpeg stops at the first sample it cannot read; the list would go on past it.
    const chunks = walkChunks(table);
    if (chunks.lastByte > fileSize) return unsupported('samples lie past the end of the file');
    const old = buildIndex(table);
    const index = table.edits.length > 0 ? fixIndex(table, old) : old;
    return {
      supported: true,
      count: index.length,
      packetAt: (i) => (i >= 0 && i < index.length ? packetOf(table, index, i) : undefined),
      dtsAt: (i) => index.timestamp[i] ?? Number.NaN,
      sampleAt: (i) => {
        const sample = i >= 0 && i < index.length ? index.sample[i] : undefined;
        return sample === undefined
          ? undefined
          : { pos: samplePosition(table, chunks.firstSample, sample), size: table.sizes[sample] ?? 0 };
      },
      format: table.format,
      avcC: table.avcC,
    };
  } catch (error) {
    // A bounds error from a box that lied about its contents: not a file this port reads.
    return unsupported(`malformed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Edit {
  /** Segment duration in the movie's timescale. */
  duration: bigint;
  /** Media time in the track's timescale; -1 for an empty edit. */
  time: bigint;
  rate: number;
}

interface SampleTable {
  movieTimescale: number;
  trackTimescale: number;
  sampleCount: number;
  stts: { count: number; delta: number }[];
  /** One offset per sample (ffmpeg expands ctts so); null without ctts. */
  ctts: Int32Array | null;
  dtsShift: number;
  /** 1-based sample numbers of keyframes as written; null: every sample is a keyframe. */
  keyframes: number[] | null;
  edits: Edit[];
  /** Byte size of each sample. */
  sizes: Uint32Array;
  /** File offset of each chunk, and the samples per chunk from stsc (`mov_build_index` walks them so). */
  chunkOffsets: number[];
  samplesPerChunk: { first: number; count: number }[];
  format: string;
  avcC: Buffer | null;
}

/** Codecs whose keyframes ffprobe takes from the container (HEVC) or from a parser this port mirrors (H.264). */
const FORMATS = new Set(['avc1', 'avc3', 'hvc1', 'hev1']);

type Found = SampleTable | { reason: string };

function readTrack(moov: Buffer, track: Mp4VideoTrack): Found {
  const root = childBoxes(moov, 0, moov.length)[0];
  if (!root || root.type !== 'moov') return { reason: 'no moov box' };
  const tree = readTree(moov, root);
  if ('reason' in tree) return tree;
  const { level, traks } = tree;
  if (level.some((b) => b.type === 'mvex')) return { reason: 'fragmented MP4' };
  const mvhd = single(level, 'mvhd');
  const trak = traks[track.index];
  if (!mvhd || !trak) return { reason: 'not one mvhd, or no trak at the stream index' };
  // ffmpeg builds each track's index when its trak ends, with the movie timescale read so far.
  if (level.indexOf(mvhd) > level.findIndex((b) => b.type === 'trak')) return { reason: 'mvhd after a trak' };
  const movieTimescale = moov.readUInt32BE(mvhd.payloadStart + (moov.readUInt8(mvhd.payloadStart) === 1 ? 20 : 12));

  const { trakBoxes, mdiaBoxes, tables } = trak;
  const mdhd = single(mdiaBoxes, 'mdhd');
  const hdlr = single(mdiaBoxes, 'hdlr');
  if (!mdhd || !hdlr || !tables) return { reason: 'not one mdhd, hdlr and stbl' };
  if (moov.toString('latin1', hdlr.payloadStart + 8, hdlr.payloadStart + 12) !== 'vide')
    return { reason: 'not a video track' };
  const mdhdV1 = moov.readUInt8(mdhd.payloadStart) === 1;
  const trackTimescale = moov.readUInt32BE(mdhd.payloadStart + (mdhdV1 ? 20 : 12));
  if (movieTimescale === 0 || trackTimescale === 0) return { reason: 'a timescale of 0' };
  if (movieTimescale > MAX_TIMESCALE || trackTimescale > MAX_TIMESCALE) return { reason: 'a timescale out of range' };
  if (track.timeBase.num !== 1 || track.timeBase.den !== trackTimescale)
    return { reason: 'the time base is not the track timescale' };

  const counted = (type: string) => tables.filter((b) => b.type === type).length;
  for (const type of ['stsd', 'stts', 'ctts', 'stss', 'stsz', 'stsc', 'stco', 'co64'])
    if (counted(type) > 1) return { reason: `duplicate ${type}` };
  if (counted('stz2') > 0) return { reason: 'compact sample sizes (stz2)' };
  if (entryCount(moov, only(tables, 'stps')) > 0) return { reason: 'partial sync samples (stps)' };
  if (
    tables.some((b) => b.type === 'sbgp' && moov.toString('latin1', b.payloadStart + 4, b.payloadStart + 8) === 'rap ')
  )
    return { reason: 'random access sample groups' };
  const stsd = only(tables, 'stsd');
  if (!stsd || entryCount(moov, stsd) !== 1) return { reason: 'not exactly one sample description' };
  const entry = trak.entry;
  if (!entry || !FORMATS.has(entry.type)) return { reason: `sample format ${entry?.type ?? 'unknown'}` };
  const avcCBox = entry.type.startsWith('avc') ? single(trak.entryBoxes ?? [], 'avcC') : undefined;
  if (entry.type.startsWith('avc') && !avcCBox) return { reason: 'H.264 without one avcC' };
  const avcC = avcCBox ? Buffer.from(moov.subarray(avcCBox.payloadStart, avcCBox.end)) : null;

  const stsz = only(tables, 'stsz');
  if (!stsz) return { reason: 'no stsz' };
  const sampleCount = moov.readUInt32BE(stsz.payloadStart + 8);
  if (sampleCount === 0) return { reason: 'no samples' };
  if (sampleCount > MAX_SAMPLES) return { reason: 'more samples than are read in-process' };
  const chunks = readChunks(moov, only(tables, 'stsc'), only(tables, 'stco'), only(tables, 'co64'));
  if (!chunks || chunks.total !== sampleCount) return { reason: 'the chunks do not hold the sample count' };
  const sizes = readSizes(moov, stsz, sampleCount);
  if (!sizes) return { reason: 'stsz holds fewer sizes than samples' };
  // ffmpeg's H.264 parser outputs nothing for an empty packet, and its index ends at a huge one.
  if (sizes.some((size) => size === 0 || size > MAX_SAMPLE_SIZE)) return { reason: 'empty or oversized samples' };

  const stts = readStts(moov, only(tables, 'stts'), sampleCount);
  if ('reason' in stts) return stts;
  const ctts = readCtts(moov, only(tables, 'ctts'), sampleCount);
  if ('reason' in ctts) return ctts;
  const stss = only(tables, 'stss');
  const keyframes = stss ? readUint32List(moov, stss) : null;
  if (keyframes?.length === 0) return { reason: 'an empty stss (keyframes found by parsing)' };

  // ffmpeg keeps the last of several edit lists; one is all this reader takes.
  const edts = trakBoxes.filter((b) => b.type === 'edts');
  if (edts.length > 1 || (trak.edtsBoxes ?? []).filter((b) => b.type === 'elst').length > 1)
    return { reason: 'more than one edit list' };
  const edits = readEdits(moov, only(trak.edtsBoxes ?? [], 'elst'));
  if ('reason' in edits) return edits;

  return {
    movieTimescale,
    trackTimescale,
    sampleCount,
    stts: stts.entries,
    ctts: ctts.offsets,
    dtsShift: ctts.dtsShift,
    keyframes,
    edits,
    sizes,
    chunkOffsets: chunks.offsets,
    samplesPerChunk: chunks.rows,
    format: entry.type,
    avcC,
  };
}

interface TrakTree {
  trakBoxes: IsoBox[];
  mdiaBoxes: IsoBox[];
  edtsBoxes: IsoBox[] | null;
  /** The children of stbl; null without one minf holding one stbl. */
  tables: IsoBox[] | null;
  /** The first sample description and the boxes inside it (after a visual entry's 78 bytes of fields). */
  entry: IsoBox | null;
  entryBoxes: IsoBox[] | null;
}

/**
 * Box types whose contents decide a track's packets. ffmpeg reads them wherever it meets them
 * inside moov (an `stts` in a track's `udta` replaces the one in its `stbl`), so one found anywhere
 * but at a place this reader walked is a file it does not read.
 */
const GUARDED_TYPES = [
  'moov',
  'trak',
  'mvhd',
  'mdia',
  'minf',
  'stbl',
  'mdhd',
  'edts',
  'elst',
  'stsd',
  'stts',
  'ctts',
  'stss',
  'stps',
  'stsz',
  'stz2',
  'stsc',
  'stco',
  'co64',
  'sbgp',
  'sgpd',
  'avcC',
  'hvcC',
  'mvex',
  'moof',
  'cmov',
];

/**
 * Walks moov down to every track's sample tables. Null-free only when each level is one ffmpeg
 * reads the same way: its boxes fill it (ffmpeg reads a box that overruns its parent, cut short,
 * where this walk would stop), no `trak` or `mdat` below moov (ffmpeg stops reading a level there),
 * and every guarded box type in moov's bytes is at a place walked.
 */
function readTree(moov: Buffer, root: IsoBox): { level: IsoBox[]; traks: TrakTree[] } | { reason: string } {
  const walked = new Set<number>([root.start]);
  const levelOf = (box: IsoBox, skip = 0, nested = true): IsoBox[] | null => {
    const boxes = childBoxes(moov, box.payloadStart + skip, box.end);
    if (box.end - (boxes.at(-1)?.end ?? box.payloadStart + skip) >= 8) return null;
    if (nested && boxes.some((b) => b.type === 'trak' || b.type === 'mdat')) return null;
    for (const b of boxes) walked.add(b.start);
    return boxes;
  };
  const malformed = { reason: 'boxes that do not fill their parent, or a trak below the top' };
  const level = levelOf(root, 0, false);
  if (!level) return malformed;
  const traks: TrakTree[] = [];
  for (const trak of level.filter((b) => b.type === 'trak')) {
    const trakBoxes = levelOf(trak);
    if (!trakBoxes) return malformed;
    const edts = single(trakBoxes, 'edts');
    const mdia = single(trakBoxes, 'mdia');
    const mdiaBoxes = mdia ? levelOf(mdia) : [];
    const minf = mdiaBoxes ? single(mdiaBoxes, 'minf') : undefined;
    const minfBoxes = minf ? levelOf(minf) : [];
    const stbl = minfBoxes ? single(minfBoxes, 'stbl') : undefined;
    const tables = stbl ? levelOf(stbl) : null;
    const edtsBoxes = edts ? levelOf(edts) : [];
    if (!mdiaBoxes || !minfBoxes || !edtsBoxes || (stbl && !tables)) return malformed;
    const stsd = tables ? only(tables, 'stsd') : undefined;
    // A sample description: 8 bytes of version, flags and count, then the entries.
    const entry = stsd ? (childBoxes(moov, stsd.payloadStart + 8, stsd.end)[0] ?? null) : null;
    if (entry) walked.add(entry.start);
    const visual = entry !== null && FORMATS.has(entry.type);
    const entryBoxes = entry && visual ? levelOf(entry, 78) : null;
    if (visual && !entryBoxes) return malformed;
    traks.push({ trakBoxes, mdiaBoxes, edtsBoxes, tables, entry, entryBoxes });
  }
  for (const type of GUARDED_TYPES)
    for (let at = moov.indexOf(type, 4, 'latin1'); at >= 0; at = moov.indexOf(type, at + 1, 'latin1'))
      if (!walked.has(at - 4)) return { reason: `a ${type} box outside the place it is read from` };
  return { level, traks };
}

/** The one box of `type` among `boxes`; undefined when there is none or more than one. */
function single(boxes: IsoBox[], type: string): IsoBox | undefined {
  const found = boxes.filter((b) => b.type === type);
  return found.length === 1 ? found[0] : undefined;
}

function only(boxes: IsoBox[], type: string): IsoBox | undefined {
  return boxes.find((b) => b.type === type);
}

/** The entry count of a full box (version, flags, count); 0 for a missing box. */
function entryCount(bytes: Buffer, box: IsoBox | undefined): number {
  return box ? bytes.readUInt32BE(box.payloadStart + 4) : 0;
}

/** Checks that `count` entries of `size` bytes fit in the box after `header` bytes. */
function fits(box: IsoBox, header: number, count: number, size: number): boolean {
  return box.payloadStart + header + count * size <= box.end;
}

function readUint32List(bytes: Buffer, box: IsoBox): number[] {
  const count = entryCount(bytes, box);
  if (!fits(box, 8, count, 4)) throw new Error(`${box.type} holds fewer entries than it says`);
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = bytes.readUInt32BE(box.payloadStart + 8 + 4 * i);
  return out;
}

/**
 * The chunk offsets and the samples per chunk as ffmpeg walks them (`mov_build_index`), with the
 * samples they hold; null when stsc is one ffmpeg would repair (an entry out of order, an empty
 * chunk, another sample description).
 */
function readChunks(
  bytes: Buffer,
  stsc: IsoBox | undefined,
  stco: IsoBox | undefined,
  co64: IsoBox | undefined,
): { offsets: number[]; rows: { first: number; count: number }[]; total: number } | null {
  const offsetsBox = stco ?? co64;
  if (!stsc || !offsetsBox || (stco && co64)) return null;
  const chunkCount = entryCount(bytes, offsetsBox);
  const wide = offsetsBox.type === 'co64';
  if (!fits(offsetsBox, 8, chunkCount, wide ? 8 : 4)) return null;
  const offsets = new Array<number>(chunkCount);
  for (let i = 0; i < chunkCount; i++) {
    const at = offsetsBox.payloadStart + 8 + (wide ? 8 : 4) * i;
    offsets[i] = wide ? safeNumber(bytes.readBigUInt64BE(at)) : bytes.readUInt32BE(at);
  }
  const entries = entryCount(bytes, stsc);
  if (entries === 0 || !fits(stsc, 8, entries, 12)) return null;
  const rows: { first: number; count: number }[] = [];
  for (let i = 0; i < entries; i++) {
    const at = stsc.payloadStart + 8 + 12 * i;
    const first = bytes.readUInt32BE(at);
    const count = bytes.readUInt32BE(at + 4);
    const id = bytes.readUInt32BE(at + 8);
    const previous = rows.at(-1);
    if (first < i + 1 || count < 1 || id !== 1 || (previous && first <= previous.first)) return null;
    rows.push({ first, count });
  }
  if ((rows.at(-1)?.first ?? 0) > chunkCount || rows[0]?.first !== 1) return null;
  let total = 0;
  rows.forEach((row, r) => {
    total += ((rows[r + 1]?.first ?? chunkCount + 1) - row.first) * row.count;
  });
  return { offsets, rows, total };
}

function readSizes(bytes: Buffer, stsz: IsoBox, sampleCount: number): Uint32Array | null {
  const constant = bytes.readUInt32BE(stsz.payloadStart + 4);
  if (constant > 0) return new Uint32Array(sampleCount).fill(constant);
  if (!fits(stsz, 12, sampleCount, 4)) return null;
  const sizes = new Uint32Array(sampleCount);
  const view = new DataView(bytes.buffer, bytes.byteOffset + stsz.payloadStart + 12, 4 * sampleCount);
  for (let i = 0; i < sampleCount; i++) sizes[i] = view.getUint32(4 * i);
  return sizes;
}

function readStts(
  bytes: Buffer,
  box: IsoBox | undefined,
  sampleCount: number,
): { entries: { count: number; delta: number }[] } | { reason: string } {
  if (!box) return { reason: 'no stts' };
  const count = entryCount(bytes, box);
  if (!fits(box, 8, count, 8)) return { reason: 'stts holds fewer entries than it says' };
  const entries: { count: number; delta: number }[] = [];
  let total = 0;
  for (let i = 0; i < count && total < sampleCount; i++) {
    const at = box.payloadStart + 8 + 8 * i;
    const entry = { count: bytes.readUInt32BE(at), delta: bytes.readUInt32BE(at + 4) };
    // ffmpeg rewrites such deltas; zero deltas make two samples one instant.
    if (entry.delta > MAX_STTS_DELTA || (entry.delta === 0 && entry.count > 0))
      return { reason: 'stts deltas of 0 or out of range' };
    // mov_build_index moves to the next entry only when a sample fills the current one's count,
    // which a count of 0 never is: every later sample would take this entry's delta.
    if (entry.count === 0) return { reason: 'an stts entry of no samples before the last sample' };
    entries.push(entry);
    total += entry.count;
  }
  if (total !== sampleCount) return { reason: 'stts does not time every sample' };
  return { entries };
}

function readCtts(
  bytes: Buffer,
  box: IsoBox | undefined,
  sampleCount: number,
): { offsets: Int32Array | null; dtsShift: number } | { reason: string } {
  if (!box) return { offsets: null, dtsShift: 0 };
  const count = entryCount(bytes, box);
  if (count === 0) return { offsets: null, dtsShift: 0 };
  if (!fits(box, 8, count, 8)) return { reason: 'ctts holds fewer entries than it says' };
  const offsets = new Int32Array(sampleCount);
  let filled = 0;
  let dtsShift = 0;
  for (let i = 0; i < count; i++) {
    const at = box.payloadStart + 8 + 8 * i;
    const runLength = bytes.readInt32BE(at);
    const offset = bytes.readInt32BE(at + 4);
    if (runLength <= 0) continue;
    if (Math.abs(offset) >= MAX_CTTS_OFFSET) return { reason: 'ctts offsets out of range' };
    // As mov_read_ctts: the last two entries do not move the decode times (a quirk kept as is).
    if (i + 2 < count && offset < 0) dtsShift = Math.max(dtsShift, -offset);
    const end = Math.min(sampleCount, filled + runLength);
    offsets.fill(offset, filled, end);
    filled = end;
  }
  if (filled !== sampleCount) return { reason: 'ctts does not cover every sample' };
  return { offsets, dtsShift };
}

function readEdits(bytes: Buffer, elst: IsoBox | undefined): Edit[] | { reason: string } {
  if (!elst) return [];
  const version = bytes.readUInt8(elst.payloadStart);
  const count = entryCount(bytes, elst);
  const size = version === 1 ? 20 : 12;
  if (elst.end - elst.payloadStart - 8 !== count * size) return { reason: 'elst size and entry count disagree' };
  const edits: Edit[] = [];
  for (let i = 0; i < count; i++) {
    const at = elst.payloadStart + 8 + size * i;
    const duration = version === 1 ? bytes.readBigUInt64BE(at) : BigInt(bytes.readUInt32BE(at));
    const time = version === 1 ? bytes.readBigInt64BE(at + 8) : BigInt(bytes.readInt32BE(at + 4));
    const rate = bytes.readInt32BE(at + (version === 1 ? 16 : 8)) / 65536;
    edits.push({ duration, time, rate });
  }
  const [first, second, ...rest] = edits;
  const plain = (e: Edit | undefined) => e !== undefined && e.time >= 0n && e.rate === 1;
  const shapeOk =
    rest.length === 0 &&
    (edits.length === 0 ||
      (edits.length === 1 && plain(first)) ||
      (edits.length === 2 && first?.time === -1n && plain(second)));
  if (!shapeOk) return { reason: 'an edit list other than one edit (after at most one empty edit) at normal rate' };
  if (edits.some((e) => e.duration > BigInt(Number.MAX_SAFE_INTEGER) || e.time > BigInt(Number.MAX_SAFE_INTEGER)))
    return { reason: 'edit times out of range' };
  return edits;
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

const KEYFRAME = 1;
const DISCARD = 2;

/**
 * ffmpeg's index of the track (AVIndexEntry), one column per field: decode time in the track
 * timescale, flags, and the sample each entry reads (an edit list drops samples from the index).
 */
interface TrackIndex {
  length: number;
  timestamp: Float64Array;
  flags: Uint8Array;
  sample: Int32Array;
}

/** Entry `i` of the index as the packet mov_read_packet makes of it. */
function packetOf(t: SampleTable, index: TrackIndex, i: number): VideoPacket {
  const dts = index.timestamp[i] ?? 0;
  const flags = index.flags[i] ?? 0;
  return {
    dts,
    pts: t.ctts ? dts + t.dtsShift + (t.ctts[index.sample[i] ?? 0] ?? 0) : dts,
    // Not given: ffmpeg derives packet durations from the codec's frame rate, and the plan needs
    // one only at the recording's very end, which it asks ffprobe about.
    duration: null,
    isKeyframe: (flags & KEYFRAME) !== 0,
    isDiscarded: (flags & DISCARD) !== 0,
  };
}

/** Every packet, in decode order (tests; a plan reads its window only). */
export function allPackets(track: Mp4VideoTrackPackets): VideoPacket[] {
  const out: VideoPacket[] = [];
  for (let i = 0; i < track.count; i++) {
    const packet = track.packetAt(i);
    if (packet) out.push(packet);
  }
  return out;
}

/**
 * Walks the chunks once, as `mov_build_index` does: the end of the last byte any sample occupies,
 * and the first sample of each chunk (with the sample count after the last), so that a sample's
 * place is found without walking them again.
 */
function walkChunks(t: SampleTable): { lastByte: number; firstSample: Uint32Array } {
  const firstSample = new Uint32Array(t.chunkOffsets.length + 1);
  let lastByte = 0;
  let sample = 0;
  let row = 0;
  for (let chunk = 0; chunk < t.chunkOffsets.length; chunk++) {
    while (chunk + 1 === t.samplesPerChunk[row + 1]?.first) row++;
    firstSample[chunk] = sample;
    let at = t.chunkOffsets[chunk] ?? 0;
    const count = t.samplesPerChunk[row]?.count ?? 0;
    for (let k = 0; k < count && sample < t.sampleCount; k++, sample++) at += t.sizes[sample] ?? 0;
    if (at > lastByte) lastByte = at;
  }
  firstSample[t.chunkOffsets.length] = sample;
  return { lastByte, firstSample };
}

/** Where sample `wanted` starts in the file: its chunk's offset and the sizes before it in the chunk. */
function samplePosition(t: SampleTable, firstSample: Uint32Array, wanted: number): number {
  // The last chunk whose first sample is at or before `wanted`.
  let lo = 0;
  let hi = t.chunkOffsets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((firstSample[mid] ?? 0) <= wanted) lo = mid;
    else hi = mid - 1;
  }
  let at = t.chunkOffsets[lo] ?? 0;
  for (let s = firstSample[lo] ?? 0; s < wanted; s++) at += t.sizes[s] ?? 0;
  return at;
}

function buildIndex(t: SampleTable): TrackIndex {
  const n = t.sampleCount;
  const index: TrackIndex = {
    length: n,
    timestamp: new Float64Array(n),
    flags: new Uint8Array(n),
    sample: new Int32Array(n),
  };
  const keys = t.keyframes;
  if (!keys) index.flags.fill(KEYFRAME);
  const keyOff = keys && (keys[0] ?? 0) > 0 ? 1 : 0;
  let keyIndex = 0;
  // 0 - shift, not -shift: a negated 0 is -0, which would print as a time of -0.
  let dts = 0 - t.dtsShift;
  let sample = 0;
  for (const run of t.stts) {
    for (let k = 0; k < run.count; k++, sample++) {
      // ffmpeg walks stss with one pointer that moves on a match only (unsorted entries are missed).
      if (keys && sample + keyOff === keys[keyIndex]) {
        index.flags[sample] = KEYFRAME;
        if (keyIndex + 1 < keys.length) keyIndex++;
      }
      index.timestamp[sample] = dts;
      index.sample[sample] = sample;
      dts += run.delta;
    }
  }
  return index;
}

/** av_rescale(a, b, c): a × b / c rounded to nearest, halves away from zero. */
function rescale(a: bigint, b: number, c: number): number {
  const product = a * BigInt(b);
  const divisor = BigInt(c);
  return Number((product + divisor / 2n) / divisor);
}

/** ff_index_search_timestamp without discarded entries (none exist before mov_fix_index). */
function searchTimestamp(old: TrackIndex, wanted: number, any: boolean): number {
  let a = -1;
  let b = old.length;
  if (b > 0 && (old.timestamp[b - 1] ?? 0) < wanted) a = b - 1;
  while (b - a > 1) {
    const m = (a + b) >> 1;
    const timestamp = old.timestamp[m] ?? 0;
    if (timestamp >= wanted) b = m;
    if (timestamp <= wanted) a = m;
  }
  let m = a;
  if (!any) while (m >= 0 && m < old.length && !((old.flags[m] ?? 0) & KEYFRAME)) m--;
  return m === old.length ? -1 : m;
}

/** find_prev_closest_index: the keyframe (by decode time, then by presentation time) to start an edit on. */
function findPrevClosestIndex(t: SampleTable, old: TrackIndex, timestampPts: number, any: boolean): number {
  const wanted = t.dtsShift > 0 ? timestampPts - t.dtsShift : timestampPts;
  let index = searchTimestamp(old, wanted, any);
  if (index >= 0) {
    for (let i = index; i > 0 && old.timestamp[i] === old.timestamp[i - 1]; i--)
      if (any || (old.flags[i - 1] ?? 0) & KEYFRAME) index = i - 1;
  }
  const ctts = t.ctts;
  if (ctts && index >= 0) {
    while (index >= 0) {
      const cts = (old.timestamp[index] ?? 0) + (ctts[old.sample[index] ?? 0] ?? 0);
      if (cts <= wanted && (old.flags[index] ?? 0) & KEYFRAME) break;
      index--;
    }
  }
  return index;
}

/** mov_fix_index for a video track with at most an empty edit and one edit. */
function fixIndex(t: SampleTable, old: TrackIndex): TrackIndex {
  // Columns and constants in locals: this loop runs once per sample, and usually cold.
  const n = old.length;
  const oldTimestamp = old.timestamp;
  const oldFlags = old.flags;
  const oldSample = old.sample;
  const ctts = t.ctts;
  const shift = t.dtsShift;
  // One edit of the media keeps each sample at most once.
  const timestamp = new Float64Array(n);
  const outFlags = new Uint8Array(n);
  const outSample = new Int32Array(n);
  let length = 0;
  let entryEnd = 0 - shift;
  let emptyEdits = 0;
  let minCorrectedPts = -1;
  let foundNonEmpty = false;
  for (const edit of t.edits) {
    const mediaTime = Number(edit.time);
    const editDuration = rescale(edit.duration, t.trackTimescale, t.movieTimescale);
    const editEnd = editDuration + mediaTime;
    let dtsCounter = entryEnd;
    entryEnd += editDuration;
    if (!foundNonEmpty && mediaTime === -1) {
      emptyEdits += editDuration;
      continue;
    }
    foundNonEmpty = true;
    let index = findPrevClosestIndex(t, old, mediaTime, false);
    if (index < 0) index = findPrevClosestIndex(t, old, mediaTime, true);
    if (index < 0) index = 0;
    let startEncountered = false;
    let keyframeAfterEdit = false;
    const discardedDurations: number[] = [];
    for (; index < n && length < n; index++) {
      const dts = oldTimestamp[index] ?? 0;
      const frameDuration = index + 1 < n ? (oldTimestamp[index + 1] ?? 0) - dts : editDuration;
      let flags = oldFlags[index] ?? 0;
      const sample = oldSample[index] ?? 0;
      const currCtts = ctts === null ? 0 : (ctts[sample] ?? 0);
      const currCts = dts + shift + currCtts;
      if (currCts < mediaTime || currCts >= editEnd) {
        flags |= DISCARD;
        if (!startEncountered) discardedDurations.push(frameDuration);
      } else {
        const corrected = dtsCounter + currCtts + shift;
        if (minCorrectedPts < 0 || corrected < minCorrectedPts) minCorrectedPts = corrected;
        if (!startEncountered) {
          startEncountered = true;
          // fix_index_entry_timestamps: discarded leading frames count back from the edit's start.
          let endTs = dtsCounter;
          for (let i = 0; i < discardedDurations.length; i++) {
            endTs -= discardedDurations[discardedDurations.length - 1 - i] ?? 0;
            timestamp[length - 1 - i] = endTs;
          }
          discardedDurations.length = 0;
        }
      }
      timestamp[length] = dtsCounter;
      outFlags[length] = flags;
      outSample[length] = sample;
      length++;
      if (startEncountered) dtsCounter += frameDuration;
      if (currCts + frameDuration >= editEnd && (flags & KEYFRAME) !== 0) {
        // With ctts, B-frames after the first keyframe past the edit may still belong to it.
        if (ctts !== null && !keyframeAfterEdit) {
          keyframeAfterEdit = true;
          continue;
        }
        break;
      }
    }
  }
  minCorrectedPts -= emptyEdits;
  if (minCorrectedPts > 0) for (let i = 0; i < length; i++) timestamp[i] = (timestamp[i] ?? 0) - minCorrectedPts;
  return { length, timestamp, flags: outFlags, sample: outSample };
}
