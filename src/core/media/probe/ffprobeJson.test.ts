import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../../../../test/fixtures';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { runProcess } from '../tools/runProcess';
import { parseFfprobe, runFfprobe } from './ffprobe';
import { parseFfprobeJson, toQuarterTurn } from './ffprobeJson';
import { findMainVideo, parseSourceInfo, probeWithPackets, ticksToSec } from './packets';

// exiftool is the independent oracle: it reads the display matrix itself, not through ffmpeg.
const fx = getMediaFixtures();
let tools: MediaTools;
let dir: string;
beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await mkdtemp(path.join(tmpdir(), 'ffprobe-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ffmpeg = (args: string[]) =>
  runProcess(tools.ffmpeg.path, ['-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 60_000 });

async function exiftoolRotation(file: string): Promise<number> {
  const { stdout } = await runProcess('exiftool', ['-s3', '-n', '-Rotation', file], {
    collectStdout: true,
    timeoutMs: 30_000,
  });
  return Number(stdout.trim());
}

/**
 * A copy of `src` whose display matrix turns the picture `ccw` degrees counter-clockwise, written
 * the way this ffmpeg knows: `-display_rotation` (6.0 and later) or the `rotate` tag (before).
 */
async function rotatedCopy(src: string, ccw: number): Promise<string> {
  const file = path.join(dir, `rot${ccw}.mp4`);
  const major = Number(/^(\d+)\./.exec(tools.ffmpeg.version)?.[1] ?? 0);
  const args =
    major >= 6
      ? ['-display_rotation:v:0', String(ccw), '-i', src, '-c', 'copy', file]
      : ['-i', src, '-c', 'copy', '-metadata:s:v:0', `rotate=${ccw}`, file];
  await ffmpeg(args);
  return file;
}

describe('rotation: one sign, the clockwise turn exiftool reports', () => {
  for (const ccw of [90, 180, 270]) {
    it(`reads a display matrix of ${ccw}° counter-clockwise as exiftool does, on both readers`, async () => {
      const file = await rotatedCopy(fx.h264, ccw);
      const expected = await exiftoolRotation(file);
      expect(expected).toBe((360 - ccw) % 360);
      const json = await runFfprobe(tools, file);
      expect(parseFfprobeJson(json).streams[0]?.rotation).toBe(expected);
      expect(parseFfprobe(json).rotation).toBe(expected);
      expect(findMainVideo(parseSourceInfo(json))?.rotation).toBe(expected);
    });
  }

  it('reads the rotated fixture (a portrait phone video) as a quarter turn clockwise on both readers', async () => {
    const json = await runFfprobe(tools, fx.rotated);
    expect(await exiftoolRotation(fx.rotated)).toBe(90);
    expect(parseFfprobe(json).rotation).toBe(90);
    expect(findMainVideo(parseSourceInfo(json))?.rotation).toBe(90);
  });

  it('reads the clockwise `rotate` tag of ffprobe before 5.0 the same way, and prefers the matrix', () => {
    const oldProbe = (sideData: object[]) =>
      parseFfprobeJson({
        streams: [
          { index: 0, codec_type: 'video', codec_name: 'h264', tags: { rotate: '90' }, side_data_list: sideData },
        ],
      }).streams[0]?.rotation;
    expect(oldProbe([])).toBe(90);
    expect(oldProbe([{ side_data_type: 'Display Matrix', rotation: -90 }])).toBe(90);
    expect(oldProbe([{ side_data_type: 'Display Matrix', rotation: 180 }])).toBe(180);
  });

  it('turns any angle into the nearest clockwise quarter turn', () => {
    expect([-90, -0, 0, 89.9, 180, -180, 270, 360, 450, -270].map(toQuarterTurn)).toEqual([
      270, 0, 0, 90, 180, 180, 270, 0, 90, 90,
    ]);
  });
});

describe('frame rate: exact on both readers', () => {
  it('keeps 30000/1001 unrounded, so the import facts and the cutter share one frame grid', async () => {
    const file = path.join(dir, 'ntsc.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=30000/1001', '-t', '2', '-c:v', 'libx264', file]);
    const json = await runFfprobe(tools, file);
    expect(parseFfprobeJson(json).streams[0]?.frameRate).toEqual({ num: 30000, den: 1001 });
    const facts = parseFfprobe(json).frameRate;
    const planned = findMainVideo(parseSourceInfo(json))?.frameRate;
    expect(facts).toBe(30000 / 1001);
    expect(planned).toBe(facts);

    // The last frame's own time, from its packet, is where the facts' frame rate puts it.
    const { source, packets } = await probeWithPackets(tools, file, null);
    const video = findMainVideo(source);
    const times = (packets.get(video?.index ?? -1) ?? []).map((p) => p.pts ?? 0).sort((a, b) => a - b);
    const last = times.length - 1;
    const lastSec = ticksToSec(times[last] ?? 0, video?.timeBase ?? { num: 1, den: 1 });
    expect(Math.abs(lastSec - last / (facts ?? 1))).toBeLessThan(1e-4);
  });

  it('takes avg_frame_rate, else r_frame_rate, and nothing for 0/0', () => {
    const rate = (stream: object) =>
      parseFfprobeJson({ streams: [{ index: 0, codec_type: 'video', ...stream }] }).streams[0]?.frameRate;
    expect(rate({ avg_frame_rate: '10800/361', r_frame_rate: '30/1' })).toEqual({ num: 10800, den: 361 });
    expect(rate({ avg_frame_rate: '0/0', r_frame_rate: '30000/1001' })).toEqual({ num: 30000, den: 1001 });
    expect(rate({ avg_frame_rate: '0/0', r_frame_rate: '0/0' })).toBeUndefined();
    const audio = parseFfprobeJson({ streams: [{ index: 0, codec_type: 'audio', r_frame_rate: '0/0' }] });
    expect(audio.streams[0]?.frameRate).toBeUndefined();
  });
});

describe('parseFfprobeJson', () => {
  it('reads format, streams and packets of one real run', async () => {
    const { stdout } = await runProcess(
      tools.ffprobe.path,
      [
        ...['-v', 'error', '-show_format', '-show_streams', '-read_intervals', '%+0.2'],
        ...['-show_entries', 'packet=stream_index,pts,dts,duration,flags', '-of', 'json', fx.h264],
      ],
      { collectStdout: true, timeoutMs: 60_000 },
    );
    const probed = parseFfprobeJson(JSON.parse(stdout));
    // The container's duration includes AAC's priming on some ffprobe releases (3.022); the video's is 3.
    expect(probed.format).toMatchObject({ formatName: 'mov,mp4,m4a,3gp,3g2,mj2', startSec: 0 });
    expect(probed.format?.durationSec).toBeCloseTo(3, 1);
    expect(probed.streams[0]?.durationSec).toBe(3);
    expect(probed.streams.map((s) => [s.index, s.type, s.codecName, s.codecTag])).toEqual([
      [0, 'video', 'h264', 'avc1'],
      [1, 'audio', 'aac', 'mp4a'],
    ]);
    expect(probed.streams[0]).toMatchObject({ width: 320, height: 240, frameRate: { num: 25, den: 1 } });
    expect(probed.streams[1]?.sampleRate).toBeGreaterThan(0);
    expect(probed.packets.length).toBeGreaterThan(0);
    const video = probed.packets.filter((p) => p.streamIndex === 0);
    expect(video[0]).toMatchObject({ isKeyframe: true, isDiscarded: false, pts: expect.any(Number) });
    // AAC's priming samples: the first audio packet is flagged to be dropped after decoding.
    expect(probed.packets.find((p) => p.streamIndex === 1)).toMatchObject({ isDiscarded: true });
  });

  it('keeps only text tags, hides unprintable codec tags and rejects JSON of another shape', () => {
    const probed = parseFfprobeJson({
      streams: [{ codec_type: 'data', codec_tag_string: '[0][0][0][0]', tags: { handler_name: 'GoPro MET', x: 1 } }],
    });
    expect(probed.streams[0]).toEqual({
      index: 0,
      type: 'data',
      attachedPicture: false,
      tags: { handler_name: 'GoPro MET' },
    });
    expect(probed.format).toBeNull();
    expect(() => parseFfprobeJson({ streams: 'none' })).toThrow();
    expect(() => parseFfprobeJson({ packets: [{ pts: 'late' }] })).toThrow();
  });
});
