import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStation, type TestStation } from './harness';

// What the station says of its ffmpeg/ffprobe pair: the status (for the status bar) and the log.
const npmFfmpeg = path.resolve('node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
const forcedNpm = process.env.STATION_MEDIA_TOOLS === 'npm-fallback';

let station: TestStation | null = null;
afterEach(async () => {
  await station?.cleanup();
  station = null;
});

describe('station.status mediaTools', () => {
  it.skipIf(forcedNpm)('says nothing to warn of on a matched pair', async () => {
    station = await openStation();
    const status = await station.call('station.status', {}, null);
    expect(status.mediaTools).toEqual({
      warning: null,
      ffmpegVersion: expect.any(String),
      ffprobeVersion: status.mediaTools.ffmpegVersion,
    });
    expect(station.log.lines.filter((l) => l.message.startsWith('media tools:')).map((l) => l.level)).toEqual(['info']);
  });

  it.skipIf(forcedNpm)('warns, in the status and the station log, of a configured pair of two releases', async () => {
    station = await openStation({ ffmpegPath: npmFfmpeg, ffprobePath: '/usr/bin/ffprobe' });
    const status = await station.call('station.status', {}, null);
    expect(status.mediaTools).toMatchObject({
      warning: 'mismatched',
      ffmpegVersion: expect.stringMatching(/^N-47683/),
    });
    expect(station.log.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: 'media tools: ffmpeg and ffprobe are not one release from one folder',
      }),
    );
  });

  it.runIf(forcedNpm)('warns of the npm fallback pair', async () => {
    station = await openStation();
    const status = await station.call('station.status', {}, null);
    expect(status.mediaTools.warning).toBe('npm-fallback');
  });
});
