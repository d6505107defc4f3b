import { open } from 'node:fs/promises';
import type { MediaKind } from '../../../shared/schemas';

/** How many leading bytes `sniffKind` wants: enough to see two MPEG-TS packets (188 bytes each). */
export const SNIFF_BYTES = 512;

const EXTENSIONS: Record<string, MediaKind> = {};
const add = (kind: MediaKind, list: string) => list.split(' ').forEach((ext) => (EXTENSIONS[ext] = kind));
add('video', 'mp4 mov m4v avi mkv mts m2ts ts 3gp webm wmv flv mpg mpeg vob');
add('audio', 'wav mp3 m4a aac amr ogg opus flac wma');
add('photo', 'jpg jpeg png heic heif tif tiff dng webp');

/** The kind a file name's extension suggests (case-insensitive), or null for anything else. */
export function kindByExtension(name: string): MediaKind | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || dot < name.lastIndexOf('/') || dot < name.lastIndexOf('\\')) return null;
  return EXTENSIONS[name.slice(dot + 1).toLowerCase()] ?? null;
}

const PHOTO_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);
const AUDIO_BRANDS = new Set(['M4A ', 'M4B ', 'M4P ', 'F4A ']);
const QUICKTIME_ATOMS = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

/**
 * The kind the leading bytes show (magic numbers), or null when they match nothing known. Pass the
 * first `SNIFF_BYTES` bytes; with fewer than 197, MPEG-TS cannot be told from chance and is missed.
 */
export function sniffKind(head: Uint8Array): MediaKind | null {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  const bytesAre = (from: number, bytes: number[]) => bytes.every((b, i) => head[from + i] === b);

  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    if (PHOTO_BRANDS.has(brand)) return 'photo';
    return AUDIO_BRANDS.has(brand) ? 'audio' : 'video';
  }
  if (head.length >= 8 && QUICKTIME_ATOMS.has(ascii(4, 8))) return 'video';
  if (ascii(0, 4) === 'RIFF') {
    const form = ascii(8, 12);
    if (form === 'AVI ') return 'video';
    if (form === 'WAVE') return 'audio';
    if (form === 'WEBP') return 'photo';
    return null;
  }
  if (bytesAre(0, [0x1a, 0x45, 0xdf, 0xa3])) return 'video'; // EBML: Matroska / WebM
  if (bytesAre(0, [0xff, 0xd8, 0xff])) return 'photo'; // JPEG SOI
  if (bytesAre(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'photo'; // PNG
  if (ascii(0, 4) === 'II*\0' || ascii(0, 4) === 'MM\0*') return 'photo'; // TIFF, DNG
  if (bytesAre(0, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return 'video'; // ASF / WMV
  if (ascii(0, 3) === 'FLV') return 'video';
  if (bytesAre(0, [0x00, 0x00, 0x01, 0xba]) || bytesAre(0, [0x00, 0x00, 0x01, 0xb3])) return 'video'; // MPEG-PS
  if (isTransportStream(head)) return 'video';
  if (ascii(0, 3) === 'ID3' || ascii(0, 4) === 'OggS' || ascii(0, 4) === 'fLaC' || ascii(0, 5) === '#!AMR') {
    return 'audio';
  }
  if (isMpegAudioFrame(head)) return 'audio'; // MP3 or AAC ADTS without tags
  return null;
}

/** MPEG-TS repeats a 0x47 sync byte every 188 bytes; M2TS (AVCHD) prefixes each packet with 4 bytes. */
function isTransportStream(head: Uint8Array): boolean {
  const syncAt = (start: number, stride: number) => head[start] === 0x47 && head[start + stride] === 0x47;
  return syncAt(0, 188) || syncAt(4, 192);
}

function isMpegAudioFrame(head: Uint8Array): boolean {
  const [b0 = 0, b1 = 0] = head;
  const layer = (b1 >> 1) & 0b11;
  const isMpegAudio = b0 === 0xff && (b1 & 0xe0) === 0xe0 && layer !== 0;
  const isAdts = b0 === 0xff && (b1 & 0xf6) === 0xf0;
  return isMpegAudio || isAdts;
}

/** The first `SNIFF_BYTES` of a file, for `sniffKind`. */
export async function readFileHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
