import type { MediaInfo } from '../../shared/schemas';

const BY_CONTAINER: [RegExp, string][] = [
  [/webm|matroska/, 'video/webm'],
  [/mp4|mov|m4a|3gp|quicktime/, 'video/mp4'],
  [/avi/, 'video/x-msvideo'],
  [/mpegts/, 'video/mp2t'],
  [/jpeg|jpg|mjpeg|image2/, 'image/jpeg'],
  [/png/, 'image/png'],
  [/wav/, 'audio/wav'],
  [/mp3/, 'audio/mpeg'],
];

/**
 * The type a browser needs to play or show an original. QuickTime files are served as MP4: the
 * container is the same family and Chromium only plays it under that name.
 */
export function mimeTypeOf(row: { media: string; kind: string }): string {
  const media = JSON.parse(row.media) as MediaInfo;
  if (media.mimeType) return media.mimeType;
  const container = (media.container ?? '').toLowerCase();
  for (const [pattern, type] of BY_CONTAINER) {
    if (pattern.test(container)) return row.kind === 'audio' && type === 'video/mp4' ? 'audio/mp4' : type;
  }
  return 'application/octet-stream';
}
