import type { ClipMode } from './clipPlan';
import type { SourceInfo } from '../probe/packets';

/**
 * Which container a clip is written in. A lossless clip keeps the source's container where stream
 * copy into it works, so nothing is converted that need not be; an exact clip is always MP4 (H.264
 * + AAC), which Chromium plays.
 */

export type ClipContainer = 'mp4' | 'mov' | 'mkv' | 'webm' | 'avi' | 'ts';

export interface ContainerSpec {
  container: ClipContainer;
  /** ffmpeg's muxer name (`-f`). */
  muxer: string;
  /** File extension, with the dot. */
  extension: string;
}

const SPECS: Record<ClipContainer, ContainerSpec> = {
  mp4: { container: 'mp4', muxer: 'mp4', extension: '.mp4' },
  mov: { container: 'mov', muxer: 'mov', extension: '.mov' },
  mkv: { container: 'mkv', muxer: 'matroska', extension: '.mkv' },
  webm: { container: 'webm', muxer: 'webm', extension: '.webm' },
  avi: { container: 'avi', muxer: 'avi', extension: '.avi' },
  ts: { container: 'ts', muxer: 'mpegts', extension: '.ts' },
};

/** Codecs WebM may hold; anything else in a Matroska source stays Matroska. */
const WEBM_CODECS = new Set(['vp8', 'vp9', 'av1', 'opus', 'vorbis', 'webvtt']);
/** Audio and video codecs this ffmpeg's MP4 muxer takes by stream copy without experimental flags. */
const MP4_CODECS = new Set([
  'h264',
  'hevc',
  'mpeg4',
  'mpeg2video',
  'mjpeg',
  'av1',
  'vp9',
  'aac',
  'mp3',
  'ac3',
  'eac3',
  'alac',
]);

export function containerSpec(container: ClipContainer): ContainerSpec {
  return SPECS[container];
}

export function chooseClipContainer(source: SourceInfo, mode: ClipMode): ContainerSpec {
  if (mode === 'exact') return SPECS.mp4;
  const format = source.formatName.split(',');
  const avCodecs = source.streams.filter((s) => s.type === 'video' || s.type === 'audio').map((s) => s.codec);
  if (format.includes('mov') || format.includes('mp4')) {
    // One demuxer reads both; the brand tells QuickTime (`qt  `) from ISO MP4 (and its m4v/3gp kin).
    return source.majorBrand?.trim() === 'qt' ? SPECS.mov : SPECS.mp4;
  }
  if (format.includes('matroska') || format.includes('webm')) {
    return avCodecs.every((c) => WEBM_CODECS.has(c)) ? SPECS.webm : SPECS.mkv;
  }
  if (format.includes('avi')) return SPECS.avi;
  if (format.includes('mpegts')) return SPECS.ts;
  // FLV, MPEG-PS, ASF, …: MP4 when it can hold the codecs as they are, else Matroska (holds nearly anything).
  return avCodecs.every((c) => MP4_CODECS.has(c)) ? SPECS.mp4 : SPECS.mkv;
}
