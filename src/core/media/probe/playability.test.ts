import { describe, expect, it } from 'vitest';
import { isBrowserPlayable } from './playability';

const mp4 = 'mov,mp4,m4a,3gp,3g2,mj2';

describe('isBrowserPlayable', () => {
  it.each([
    [{ kind: 'video', container: mp4, videoCodec: 'h264', audioCodec: 'aac', pixelFormat: 'yuv420p' }, true],
    [{ kind: 'video', container: mp4, videoCodec: 'h264' }, true],
    [{ kind: 'video', container: 'matroska,webm', videoCodec: 'vp8', audioCodec: 'opus' }, true],
    [{ kind: 'video', container: 'matroska,webm', videoCodec: 'vp9', pixelFormat: 'yuv420p10le' }, true],
    [{ kind: 'video', container: mp4, videoCodec: 'av1', audioCodec: 'mp3' }, true],
    [{ kind: 'video', container: mp4, videoCodec: 'hevc', audioCodec: 'aac' }, false],
    [{ kind: 'video', container: 'avi', videoCodec: 'mjpeg', audioCodec: 'pcm_s16le' }, false],
    [{ kind: 'video', container: 'avi', videoCodec: 'h264' }, false],
    [{ kind: 'video', container: 'mpegts', videoCodec: 'h264', audioCodec: 'aac' }, false],
    [{ kind: 'video', container: mp4, videoCodec: 'mpeg2video' }, false],
    [{ kind: 'video', container: mp4, videoCodec: 'h264', audioCodec: 'pcm_s16le' }, false],
    [{ kind: 'video', container: mp4, videoCodec: 'h264', pixelFormat: 'yuv420p10le' }, false],
    [{ kind: 'video', container: mp4, videoCodec: 'h264', pixelFormat: 'yuv422p' }, false],
    [{ kind: 'audio', container: mp4, audioCodec: 'aac' }, true],
    [{ kind: 'audio', container: 'wav', audioCodec: 'pcm_s16le' }, true],
    [{ kind: 'audio', container: 'amr', audioCodec: 'amrnb' }, false],
    [{ kind: 'photo', mimeType: 'image/jpeg' }, true],
    [{ kind: 'photo', mimeType: 'image/heic' }, false],
    [{ kind: 'other' }, false],
  ] as const)('%j → %s', (info, playable) => {
    expect(isBrowserPlayable(info)).toBe(playable);
  });
});
