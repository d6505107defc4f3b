import { beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { parseFfprobe, runFfprobe } from './ffprobe';
import { ProcessFailedError } from '../tools/runProcess';

const fx = getMediaFixtures();
let tools: MediaTools;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
});

/** Trimmed from ffprobe 6 on an iPhone 13 portrait HEVC clip; keys as Apple writes them. */
const IPHONE_MOV = {
  streams: [
    {
      index: 0,
      codec_name: 'hevc',
      codec_type: 'video',
      codec_tag_string: 'hvc1',
      width: 1920,
      height: 1080,
      pix_fmt: 'yuv420p10le',
      r_frame_rate: '30/1',
      avg_frame_rate: '10800/361',
      duration: '12.033333',
      disposition: { default: 1, attached_pic: 0 },
      tags: {
        creation_time: '2026-03-01T01:30:00.000000Z',
        language: 'und',
        handler_name: 'Core Media Video',
        vendor_id: '[0][0][0][0]',
        encoder: 'HEVC',
      },
      side_data_list: [
        {
          side_data_type: 'Display Matrix',
          displaymatrix: '\n00000000:            0       65536           0\n',
          rotation: -90,
        },
      ],
    },
    {
      index: 1,
      codec_name: 'aac',
      codec_type: 'audio',
      sample_rate: '44100',
      duration: '12.033333',
      disposition: { default: 1, attached_pic: 0 },
      tags: { creation_time: '2026-03-01T01:30:00.000000Z', handler_name: 'Core Media Audio' },
    },
    {
      index: 2,
      codec_type: 'data',
      codec_tag_string: 'mebx',
      tags: { handler_name: 'Core Media Metadata' },
    },
  ],
  format: {
    format_name: 'mov,mp4,m4a,3gp,3g2,mj2',
    duration: '12.033333',
    bit_rate: '9123456',
    tags: {
      major_brand: 'qt  ',
      creation_time: '2026-03-01T01:30:00.000000Z',
      'com.apple.quicktime.location.accuracy.horizontal': '4.744618',
      'com.apple.quicktime.location.ISO6709': '+31.2304+121.4737+004.123/',
      'com.apple.quicktime.make': 'Apple',
      'com.apple.quicktime.model': 'iPhone 13',
      'com.apple.quicktime.software': '17.3.1',
      'com.apple.quicktime.creationdate': '2026-03-01T09:30:00+0800',
    },
  },
};

describe('parseFfprobe on real ffprobe output', () => {
  it('reads an H.264 MP4', async () => {
    const facts = parseFfprobe(await runFfprobe(tools, fx.h264));
    expect(facts).toEqual({
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSec: 3,
      bitRate: expect.any(Number),
      videoCodec: 'h264',
      audioCodec: 'aac',
      width: 320,
      height: 240,
      pixelFormat: 'yuv420p',
      frameRate: 25,
      creationTime: '2026-03-01T09:30:00.000000Z',
      hasVideo: true,
      hasAudio: true,
    });
  });

  it('reads location, make and model that ffmpeg wrote into a MOV', async () => {
    const facts = parseFfprobe(await runFfprobe(tools, fx.located));
    expect(facts.gps).toEqual({ lat: 31.2304, lon: 121.4737 });
    expect(facts.make).toBe('ACME');
    expect(facts.model).toBe('BC-9');
    expect(facts.creationTime).toMatch(/^2026-03-01T01:30:00/);
  });

  it('reads rotation from the display matrix', async () => {
    expect(parseFfprobe(await runFfprobe(tools, fx.rotated)).rotation).toBe(90);
  });

  it('reads HEVC, MJPEG/PCM, VP8/Opus and audio-only files', async () => {
    const hevc = parseFfprobe(await runFfprobe(tools, fx.hevc));
    expect([hevc.videoCodec, hevc.audioCodec]).toEqual(['hevc', 'aac']);
    const avi = parseFfprobe(await runFfprobe(tools, fx.mjpeg));
    expect([avi.container, avi.videoCodec, avi.audioCodec]).toEqual(['avi', 'mjpeg', 'pcm_s16le']);
    const webm = parseFfprobe(await runFfprobe(tools, fx.vp8));
    expect([webm.container, webm.videoCodec, webm.audioCodec]).toEqual(['matroska,webm', 'vp8', 'opus']);
    const audio = parseFfprobe(await runFfprobe(tools, fx.audio));
    expect(audio).toMatchObject({ hasVideo: false, hasAudio: true, audioCodec: 'aac', durationSec: 2 });
    expect(audio.undecodableReason).toBeUndefined();
  });

  it('fails with the stderr reason on files ffprobe cannot open', async () => {
    for (const file of [fx.truncated, fx.zero, fx.garbage, fx.notes]) {
      const error = await runFfprobe(tools, file).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProcessFailedError);
      expect((error as ProcessFailedError).stderrTail.join('\n')).toMatch(/Invalid data|moov atom not found/);
    }
  });
});

describe('parseFfprobe on hand-written input', () => {
  it('reads an iPhone MOV: Apple keys, offset creation date, altitude, portrait rotation', () => {
    expect(parseFfprobe(IPHONE_MOV)).toEqual({
      container: 'mov,mp4,m4a,3gp,3g2,mj2',
      durationSec: 12.033333,
      firmware: '17.3.1',
      bitRate: 9123456,
      videoCodec: 'hevc',
      audioCodec: 'aac',
      width: 1920,
      height: 1080,
      pixelFormat: 'yuv420p10le',
      frameRate: 10800 / 361,
      rotation: 90,
      creationTime: '2026-03-01T01:30:00.000000Z',
      creationTimeWithOffset: '2026-03-01T09:30:00+08:00',
      gps: { lat: 31.2304, lon: 121.4737, alt: 4.123 },
      make: 'Apple',
      model: 'iPhone 13',
      writtenByPhone: true,
      hasVideo: true,
      hasAudio: true,
    });
  });

  it('reads Android and Matroska-style tags case-insensitively', () => {
    const facts = parseFfprobe({
      streams: [{ codec_type: 'video', codec_name: 'h264', width: 10, height: 10, tags: { rotate: '270' } }],
      format: {
        format_name: 'matroska,webm',
        duration: '1.5',
        tags: {
          'COM.ANDROID.MANUFACTURER': 'Xiaomi',
          'com.android.model': '23049PCD8G',
          LOCATION: '-33.8688-070.6693/',
        },
      },
    });
    expect(facts).toMatchObject({
      make: 'Xiaomi',
      model: '23049PCD8G',
      rotation: 270,
      gps: { lat: -33.8688, lon: -70.6693 },
    });
  });

  it("takes the video stream's duration, not the container's stretched by GoPro data tracks", () => {
    const gopro = {
      streams: [
        { codec_type: 'video', codec_name: 'h264', width: 1920, height: 1080, duration: '12.078733' },
        { codec_type: 'audio', codec_name: 'aac', duration: '12.074667' },
        { codec_type: 'data', codec_tag_string: 'tmcd', duration: '12.078733' },
        { codec_type: 'data', codec_tag_string: 'gpmd', duration: '13.012000' },
      ],
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '13.012000' },
    };
    expect(parseFfprobe(gopro).durationSec).toBe(12.078733);
    // Audio only: the audio stream's; no stream duration (Matroska): the container's.
    const memo = {
      streams: [
        { codec_type: 'audio', codec_name: 'aac', duration: '2.000000' },
        { codec_type: 'data', duration: '2.5' },
      ],
      format: { duration: '2.5' },
    };
    expect(parseFfprobe(memo).durationSec).toBe(2);
    const mkv = { streams: [{ codec_type: 'video', codec_name: 'vp8' }], format: { duration: '1.5' } };
    expect(parseFfprobe(mkv).durationSec).toBe(1.5);
  });

  it('reads firmware and software versions: GoPro FIRM, Apple software, Android version', () => {
    const tagged = (tags: Record<string, string>) =>
      parseFfprobe({ streams: [{ codec_type: 'video', codec_name: 'h264', duration: '1' }], format: { tags } });
    expect(tagged({ firmware: 'HD9.01.01.60.00' }).firmware).toBe('HD9.01.01.60.00');
    expect(tagged({ 'com.apple.quicktime.software': '17.1.2' }).firmware).toBe('17.1.2');
    expect(tagged({ 'com.android.version': '14' }).firmware).toBe('14');
    expect(tagged({ encoder: 'Lavf59.27.100' })).not.toHaveProperty('firmware');
  });

  it('marks files without a decodable stream or without duration', () => {
    const onlyCover = {
      streams: [{ codec_type: 'video', codec_name: 'mjpeg', disposition: { attached_pic: 1 } }, { codec_type: 'data' }],
      format: { format_name: 'mp3', duration: '3.0' },
    };
    expect(parseFfprobe(onlyCover).undecodableReason).toBe('no decodable audio or video stream');
    const unknownCodec = { streams: [{ codec_type: 'video' }], format: { duration: '3.0' } };
    expect(parseFfprobe(unknownCodec).undecodableReason).toBe('no decodable audio or video stream');
    const noDuration = { streams: [{ codec_type: 'video', codec_name: 'h264' }], format: { duration: '0.000000' } };
    expect(parseFfprobe(noDuration).undecodableReason).toBe('video stream with zero duration');
  });

  it('ignores frame rates of 0/0 and falls back to r_frame_rate', () => {
    const facts = parseFfprobe({
      streams: [{ codec_type: 'video', codec_name: 'h264', avg_frame_rate: '0/0', r_frame_rate: '30000/1001' }],
      format: { duration: '1' },
    });
    expect(facts.frameRate).toBe(30000 / 1001);
  });
});
