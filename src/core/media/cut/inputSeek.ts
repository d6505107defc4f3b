/**
 * Where a decoding cut (exact clip, still) opens its input with `-noaccurate_seek -ss`, so that
 * decoding starts on a keyframe at or before the frame it needs; a trim on exact timestamps then
 * drops what was decoded before that frame.
 *
 * Containers with an index (MP4, MOV, Matroska, AVI) seek to the keyframe at or before the time
 * asked for, so the frame's own time is enough. MPEG-TS, MPEG-PS and raw streams have no index:
 * ffmpeg finds the position by a search on packet timestamps, lands on any packet, and the decoder
 * then waits for the next keyframe, so every frame up to it would be lost (a still would come out
 * empty, an exact clip short). There the input is opened before the keyframe the frame decodes
 * from, by more than any frame-reordering delay.
 */
export function decodeSeekSec(formatName: string, frameSec: number, keyframeSec: number | null): number {
  if (!hasNoIndex(formatName)) return Math.max(0, frameSec);
  return Math.max(0, Math.min(frameSec, keyframeSec ?? frameSec) - INDEXLESS_PREROLL_SEC);
}

/** Whether ffmpeg seeks in this container by searching timestamps rather than by an index. */
export function hasNoIndex(formatName: string): boolean {
  return formatName.split(',').some((name) => INDEXLESS_FORMATS.has(name));
}

const INDEXLESS_PREROLL_SEC = 1;
const INDEXLESS_FORMATS = new Set(['mpegts', 'mpeg', 'mpegvideo', 'h264', 'hevc']);
