import type { Logger } from '../../engineApi';
import type { MediaTools } from '../tools/binaries';
import { ProcessAbortedError, runProcess } from '../tools/runProcess';
import { isValidLocalDateTime, type LocalDateTime } from './recordedTime';

/**
 * AVCHD cameras (.mts/.m2ts) write their recording time and make in the H.264 stream itself, not
 * in the container: an SEI "user data unregistered" message with UUID 17ee8c60-f84d-11d9-8cd6-
 * 0800200c9a66 and the text `MDPM`, followed by five-byte entries (a tag and four bytes). ffprobe
 * demuxes the stream but does not decode MDPM; no maintained JavaScript reader does. So ffprobe
 * hands us the first packets of the video stream (as a hex dump, its text output), and this small
 * reader decodes the entries exiftool documents (Image::ExifTool::H264): 0x18/0x19 the recording
 * time with its zone, 0xe0 the make, 0xe4–0xe6 the model (Sony only).
 *
 * Untrusted input: bounded output, bounded loops, and nothing throws except an abort: a malformed
 * stream gives `null`, never a failed import.
 */

export interface MdpmFacts {
  /** The camera's wall clock when recording started. */
  local?: LocalDateTime;
  /** Minutes east of UTC the camera was set to; absent when it cannot be told (DST flag set). */
  offsetMinutes?: number;
  make?: string;
  model?: string;
}

/** Panasonic puts MDPM in the second access unit, not the first (exiftool reads two as well). */
const PACKETS_READ = 2;
const FFPROBE_TIMEOUT_MS = 30_000;
/** Two packets of a 1080i keyframe as a hex dump (about 4.2 characters a byte) stay well below this. */
const MAX_DUMP_BYTES = 16 * 1024 * 1024;
/** NAL units and SEI messages looked at, at most, in those packets. */
const MAX_UNITS = 4096;

/** The furthest zones from UTC (Kiribati, +14:00; Baker Island, −12:00). */
const MAX_ZONE_MINUTES = 14 * 60;

const MDPM_HEADER = Buffer.concat([Buffer.from('17ee8c60f84d11d98cd60800200c9a66', 'hex'), Buffer.from('MDPM')]);
const MAKES: Record<number, string> = { 0x0103: 'Panasonic', 0x0108: 'Sony', 0x1011: 'Canon', 0x1104: 'JVC' };

/**
 * Runs ffprobe over the first packets of the first video stream and decodes their MDPM. `null`
 * when there is none or ffprobe cannot read them. Throws only `ProcessAbortedError`.
 */
export async function readAvchdMetadata(
  tools: MediaTools,
  file: string,
  signal?: AbortSignal,
  log?: Logger,
): Promise<MdpmFacts | null> {
  const args = [
    ...['-v', 'error', '-select_streams', 'v:0', '-read_intervals', `%+#${PACKETS_READ}`],
    ...['-show_entries', 'packet=data', '-show_data', '-print_format', 'json', file],
  ];
  try {
    const { stdout } = await runProcess(tools.ffprobe.path, args, {
      signal,
      log,
      timeoutMs: FFPROBE_TIMEOUT_MS,
      collectStdout: true,
      maxStdoutBytes: MAX_DUMP_BYTES,
    });
    const packets = (JSON.parse(stdout) as { packets?: { data?: unknown }[] }).packets ?? [];
    for (const packet of packets.slice(0, PACKETS_READ)) {
      const bytes = typeof packet.data === 'string' ? parseHexDump(packet.data) : null;
      const facts = bytes ? parseMdpmFromAnnexB(bytes) : null;
      if (facts) return facts;
    }
    return null;
  } catch (error) {
    if (error instanceof ProcessAbortedError) throw error;
    log?.warn('AVCHD metadata unreadable', { reason: error instanceof Error ? error.message : String(error) });
    return null;
  }
}

/**
 * ffprobe's `-show_data` text (libavutil's `av_hex_dump`): lines of `OFFSET: ` then up to 16 bytes
 * as hex in groups of two, two spaces and the bytes as ASCII. Returns null for any other shape.
 */
export function parseHexDump(dump: string): Buffer | null {
  const bytes: number[] = [];
  for (const line of dump.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^([0-9a-f]{8}): ((?:[0-9a-f]{2,4} ?){1,8})/.exec(line);
    if (!match || parseInt(match[1] ?? '', 16) !== bytes.length) return null;
    // The hex column is 40 characters wide; the ASCII column after it may itself look like hex.
    const hex = line.slice(10, 50).replace(/ /g, '');
    if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
    for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  }
  return bytes.length > 0 ? Buffer.from(bytes) : null;
}

/** Finds the MDPM message among the SEI NAL units of an Annex B access unit. Pure; never throws. */
export function parseMdpmFromAnnexB(stream: Uint8Array): MdpmFacts | null {
  const bytes = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  const starts = nalUnitStarts(bytes);
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] ?? 0;
    const end = starts[i + 1] ?? bytes.length;
    if (((bytes[start] ?? 0) & 0x1f) !== 6) continue;
    const facts = readSei(unescapeRbsp(bytes.subarray(start + 1, end)));
    if (facts) return facts;
  }
  return null;
}

/** Offsets of the first byte (the NAL header) after each 00 00 01 start code. */
function nalUnitStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let i = 0; i + 3 < bytes.length && starts.length < MAX_UNITS; i++) {
    if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1) {
      starts.push(i + 3);
      i += 2;
    }
  }
  return starts;
}

/** Removes emulation-prevention bytes (00 00 03 → 00 00), so payload sizes count real bytes. */
function unescapeRbsp(nal: Buffer): Buffer {
  const out = Buffer.alloc(nal.length);
  let length = 0;
  let zeros = 0;
  for (const byte of nal) {
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, length);
}

/** SEI messages: type and size each coded as a run of 0xFF bytes plus a last byte. */
function readSei(rbsp: Buffer): MdpmFacts | null {
  let pos = 0;
  for (let n = 0; n < MAX_UNITS && pos < rbsp.length; n++) {
    let type = 0;
    let size = 0;
    for (let byte = 0xff; byte === 0xff && pos < rbsp.length; pos++) type += byte = rbsp[pos] ?? 0;
    for (let byte = 0xff; byte === 0xff && pos < rbsp.length; pos++) size += byte = rbsp[pos] ?? 0;
    if (type === 0x80 || pos + size > rbsp.length) return null;
    const payload = rbsp.subarray(pos, pos + size);
    if (type === 5 && size > MDPM_HEADER.length && payload.subarray(0, MDPM_HEADER.length).equals(MDPM_HEADER)) {
      return readMdpmEntries(payload.subarray(MDPM_HEADER.length));
    }
    pos += size;
  }
  return null;
}

/** A count byte, then that many entries of a tag byte and four value bytes, tags rising. */
function readMdpmEntries(body: Buffer): MdpmFacts | null {
  const count = body[0] ?? 0;
  const values = new Map<number, Buffer>();
  let lastTag = -1;
  for (let i = 0; i < count; i++) {
    const at = 1 + i * 5;
    if (at + 5 > body.length) break;
    const tag = body[at] ?? 0;
    if (tag <= lastTag) break; // out of order: exiftool stops here too
    lastTag = tag;
    values.set(tag, body.subarray(at + 1, at + 5));
  }
  const facts: MdpmFacts = {};
  const date = values.get(0x18);
  const time = values.get(0x19);
  if (date && time) Object.assign(facts, readRecordedTime(date, time));
  const makeCode = values.get(0xe0)?.readUInt16BE(0);
  const make = makeCode === undefined ? undefined : MAKES[makeCode];
  if (make) facts.make = make;
  if (make === 'Sony') {
    const model = readModel([values.get(0xe4), values.get(0xe5), values.get(0xe6)]);
    if (model) facts.model = model;
  }
  return facts.local || facts.make ? facts : null;
}

/**
 * 0x18: zone byte, then century, year, month in BCD; 0x19: day, hour, minute, second in BCD.
 * Zone byte: 0x20 west of UTC, bits 1–4 whole hours, 0x01 another half hour, 0x40 daylight saving.
 * With the daylight-saving flag the offset in effect is not certain (cameras differ on whether the
 * hours include it), so the time is kept and the offset left unknown.
 */
function readRecordedTime(date: Buffer, time: Buffer): Pick<MdpmFacts, 'local' | 'offsetMinutes'> {
  const digits = [...date.subarray(1), ...time].map(fromBcd);
  if (digits.some((d) => d === null)) return {};
  const [century, year, m, d, h, mi, s] = digits as number[];
  const local = { y: (century ?? 0) * 100 + (year ?? 0), m: m ?? 0, d: d ?? 0, h: h ?? 0, mi: mi ?? 0, s: s ?? 0 };
  if (!isValidLocalDateTime(local)) return {};
  const zone = date[0] ?? 0;
  if (zone & 0x40) return { local };
  const minutes = ((zone >> 1) & 0x0f) * 60 + (zone & 0x01 ? 30 : 0);
  // Four bits of hours reach 15:30; no zone is further than 14 hours from UTC, so such a byte
  // says nothing we can use about where the camera was.
  if (minutes > MAX_ZONE_MINUTES) return { local };
  return { local, offsetMinutes: zone & 0x20 ? -minutes : minutes };
}

function fromBcd(byte: number): number | null {
  const high = byte >> 4;
  const low = byte & 0x0f;
  return high > 9 || low > 9 ? null : high * 10 + low;
}

function readModel(parts: (Buffer | undefined)[]): string | undefined {
  const bytes = Buffer.concat(parts.filter((p): p is Buffer => p !== undefined));
  const end = bytes.indexOf(0);
  const text = bytes
    .subarray(0, end === -1 ? bytes.length : end)
    .toString('latin1')
    .trim();
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}
