import type { MediaInfo } from '../../../shared/schemas';

/**
 * Whether Chromium plays a file without a proxy. Proprietary codecs are assumed (Electron and
 * Chrome ship them; a plain Chromium build may not play H.264, the web host accepts that).
 * https://www.chromium.org/audio-video/ lists what the media pipeline decodes.
 */

const VIDEO_CODECS = new Set(['h264', 'vp8', 'vp9', 'av1']);
const AUDIO_IN_VIDEO = new Set(['aac', 'opus', 'mp3', 'vorbis']);
const VIDEO_CONTAINERS = ['mp4', 'mov', 'webm', 'matroska'];
const AUDIO_CODECS = new Set(['aac', 'mp3', 'opus', 'vorbis', 'flac', 'pcm_s16le', 'pcm_s24le', 'pcm_f32le', 'pcm_u8']);
/** H.264 decodes in Chromium only as 8-bit 4:2:0 (High 10 and 4:2:2/4:4:4 profiles are refused). */
const H264_PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p']);
const PHOTO_MIME_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function isBrowserPlayable(
  info: Pick<MediaInfo, 'kind' | 'container' | 'videoCodec' | 'audioCodec' | 'pixelFormat' | 'mimeType'>,
): boolean {
  if (info.kind === 'photo') return PHOTO_MIME_TYPES.has(info.mimeType ?? '');
  if (info.kind === 'audio') return info.audioCodec !== undefined && AUDIO_CODECS.has(info.audioCodec);
  if (info.kind !== 'video' || !info.videoCodec || !VIDEO_CODECS.has(info.videoCodec)) return false;
  if (info.audioCodec !== undefined && !AUDIO_IN_VIDEO.has(info.audioCodec)) return false;
  const formats = (info.container ?? '').split(',');
  if (!VIDEO_CONTAINERS.some((name) => formats.includes(name))) return false;
  return info.videoCodec !== 'h264' || info.pixelFormat === undefined || H264_PIXEL_FORMATS.has(info.pixelFormat);
}
