import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaInfo } from '../../../shared/schemas';
import {
  appendUdtaToMoov,
  goProUdta,
  lengthenTrack,
  writeAvchdWithMdpm,
} from '../../../../test/fixtures/cameraMetadata';
import { makeTempDir, removeTree } from '../../../../test/engine/harness';
import { readWithExiftool, trackGroupOf } from '../../../../test/support/exiftool';
import { resolveMediaTools, type MediaTools } from '../tools/binaries';
import { runProcess } from '../tools/runProcess';
import { runFfprobe } from './ffprobe';
import { DEFAULT_FILE_NAME_PATTERNS } from './fileNamePatterns';
import { probeMedia } from './probeMedia';

/**
 * Files shaped like the ones cameras write (generated here: no binary fixtures), read by the
 * station and by exiftool, compared field by field: duration from the video track when a data
 * track runs longer, the identity Apple, Android and GoPro write in MP4/QuickTime, and an AVCHD
 * stream's own recording time and make.
 */

const CST = 480;
let tools: MediaTools;
let dir: string;
const file = (name: string) => path.join(dir, name);
const ffmpeg = async (args: string[]) => {
  await runProcess(tools.ffmpeg.path, ['-v', 'error', '-y', ...args], { timeoutMs: 120_000 });
};
const VIDEO = (seconds: number) => [
  ...['-f', 'lavfi', '-i', `testsrc2=size=320x240:rate=25:duration=${seconds}`],
  ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
];

beforeAll(async () => {
  tools = await resolveMediaTools({ env: {} });
  dir = await makeTempDir('camera-files');
  // GoPro structure: an H.264 track and a timecode track that runs a second longer.
  await ffmpeg([...VIDEO(2), '-timecode', '10:00:00:00', '-f', 'mov', file('GX010042.MP4')]);
  await lengthenTrack(file('GX010042.MP4'), 'tmcd', 3);
  await appendUdtaToMoov(
    file('GX010042.MP4'),
    goProUdta({ firmware: 'HD9.01.01.60.00', serial: 'C3441324567890', model: 'HERO9 Black' }),
  );
  await ffmpeg([
    ...VIDEO(1),
    ...['-metadata', 'com.apple.quicktime.make=Apple', '-metadata', 'com.apple.quicktime.model=iPhone 15 Pro'],
    ...['-metadata', 'com.apple.quicktime.software=17.1.2', '-movflags', 'use_metadata_tags', file('IMG_0042.MOV')],
  ]);
  await ffmpeg([
    ...VIDEO(1),
    ...['-metadata', 'com.android.manufacturer=Google', '-metadata', 'com.android.model=Pixel 8'],
    ...['-metadata', 'com.android.version=14', '-movflags', 'use_metadata_tags', file('PXL_0042.mp4')],
  ]);
  await ffmpeg([
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000:duration=2',
    '-c:a',
    'aac',
    file('memo.m4a'),
  ]);
  await writeAvchdWithMdpm(ffmpeg, file('00001.MTS'), {
    local: '2026-03-01T09:30:15',
    offsetMinutes: 480,
    makeCode: 0x1011,
  });
  await writeAvchdWithMdpm(ffmpeg, file('00002.MTS'), {
    local: '2026-07-01T10:00:05',
    offsetMinutes: 60,
    dst: true,
    makeCode: 0x0108,
    model: 'HDR-CX405',
  });
}, 120_000);

afterAll(async () => {
  await removeTree(dir);
});

async function probeOk(name: string): Promise<MediaInfo> {
  const result = await probeMedia(tools, file(name), {
    fileName: name,
    modifiedAt: new Date('2026-12-01T00:00:00Z'),
    patterns: DEFAULT_FILE_NAME_PATTERNS,
    stationOffsetMinutes: CST,
  });
  if (!result.ok) throw new Error(`${name} not ok: ${result.reason}`);
  return MediaInfo.parse(result.info);
}

describe('duration', () => {
  it("is the video track's when a data track makes the container longer (GoPro)", async () => {
    // The structure: the movie and its timecode track last 3 s, the picture 2 s. (Whether ffprobe's
    // own format duration then says 3 depends on its version: 5.1 does, 6.x counts no timecode.)
    const probed = (await runFfprobe(tools, file('GX010042.MP4'))) as {
      streams: { codec_type: string; duration: string }[];
    };
    expect(Number(probed.streams.find((s) => s.codec_type === 'data')?.duration)).toBeCloseTo(3, 2);
    const exif = await readWithExiftool(file('GX010042.MP4'), true);
    const video = trackGroupOf(exif, 'vide');
    expect(exif['QuickTime:Duration']).toBeCloseTo(3, 2);
    expect(exif[`${video}:TrackDuration`]).toBeCloseTo(2, 2);

    const info = await probeOk('GX010042.MP4');
    expect(info.durationSec).toBeCloseTo(exif[`${video}:TrackDuration`] as number, 2);
  });

  it("is the audio track's in an audio-only file", async () => {
    const probed = (await runFfprobe(tools, file('memo.m4a'))) as { streams: { duration: string }[] };
    const exif = await readWithExiftool(file('memo.m4a'), true);
    const info = await probeOk('memo.m4a');
    expect(info.kind).toBe('audio');
    expect(info.durationSec).toBe(Number(probed.streams[0]?.duration));
    // exiftool's track duration counts the AAC encoder's priming samples (one frame, 1024 samples)
    // that the edit list hides from playback.
    const track = exif[`${trackGroupOf(exif, 'soun')}:TrackDuration`] as number;
    expect(Math.abs(info.durationSec! - track)).toBeLessThanOrEqual(1024 / 48_000 + 0.001);
  });
});

describe('device identity', () => {
  it("reads GoPro's model, serial and firmware as exiftool does", async () => {
    const exif = await readWithExiftool(file('GX010042.MP4'));
    const info = await probeOk('GX010042.MP4');
    expect({ model: info.model, serial: info.serial, firmware: info.firmware }).toEqual({
      model: exif['GoPro:Model'],
      serial: exif['GoPro:CameraSerialNumber'],
      firmware: exif['GoPro:FirmwareVersion'],
    });
    expect(exif['UserData:FirmwareVersion']).toBe(info.firmware);
    expect(info.model).toBe('HERO9 Black');
  });

  it("reads Apple's make, model and software as exiftool does", async () => {
    const exif = await readWithExiftool(file('IMG_0042.MOV'));
    const info = await probeOk('IMG_0042.MOV');
    expect({ make: info.make, model: info.model, firmware: info.firmware }).toEqual({
      make: exif['Keys:Make'],
      model: exif['Keys:Model'],
      firmware: exif['Keys:Software'],
    });
    expect(info.make).toBe('Apple');
  });

  it("reads Android's manufacturer, model and version as exiftool does", async () => {
    const exif = await readWithExiftool(file('PXL_0042.mp4'));
    const info = await probeOk('PXL_0042.mp4');
    expect({ make: info.make, model: info.model, firmware: info.firmware }).toEqual({
      make: exif['Keys:AndroidManufacturer'],
      model: exif['Keys:AndroidModel'],
      firmware: String(exif['Keys:AndroidVersion']),
    });
    expect(info.model).toBe('Pixel 8');
  });

  it("reads an AVCHD stream's recording time, zone and make as exiftool does, not the file system's time", async () => {
    const exif = await readWithExiftool(file('00001.MTS'));
    const info = await probeOk('00001.MTS');
    expect(exif['H264:DateTimeOriginal']).toBe('2026:03:01 09:30:15+08:00');
    expect(info.recordedAt).toBe('2026-03-01T09:30:15+08:00');
    expect(info).toMatchObject({ recordedAtSource: 'container', offsetKnown: true });
    expect(info.make).toBe(exif['H264:Make']);
    expect(info.make).toBe('Canon');
  });

  it("reads a Sony AVCHD stream's model, and keeps its zone unknown when daylight saving is flagged", async () => {
    const exif = await readWithExiftool(file('00002.MTS'));
    const info = await probeOk('00002.MTS');
    expect(exif['H264:DateTimeOriginal']).toBe('2026:07:01 10:00:05+01:00 DST');
    expect({ make: info.make, model: info.model }).toEqual({ make: exif['H264:Make'], model: exif['H264:Model'] });
    // The camera's wall clock, shown in the station's offset and marked as assumed.
    expect(info).toMatchObject({
      recordedAt: '2026-07-01T10:00:05+08:00',
      recordedAtSource: 'container',
      offsetKnown: false,
    });
  });
});
