import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ffmpegMajor,
  isLegacyEncoder,
  isMatchedPair,
  mediaToolsProvenance,
  parseToolVersion,
  parseVersionOutput,
  resolveMediaTools,
  type ToolInfo,
} from './binaries';
import type { Logger } from '../../engineApi';

// The system's pair is Debian's (installed by .ci/run); the npm pair is the 2018 fallback.
const systemFfmpeg = '/usr/bin/ffmpeg';
const systemFfprobe = '/usr/bin/ffprobe';
const npmFfmpeg = path.resolve('node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
const npmFfprobe = path.resolve('node_modules/@ffprobe-installer/linux-x64/ffprobe');
const noEnv = {};
const forcedNpm = process.env.STATION_MEDIA_TOOLS === 'npm-fallback';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'binaries-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folderWith(name: string, ffmpeg: string, ffprobe: string): Promise<string> {
  const folder = path.join(dir, name);
  await mkdir(folder);
  await symlink(ffmpeg, path.join(folder, 'ffmpeg'));
  await symlink(ffprobe, path.join(folder, 'ffprobe'));
  return folder;
}

function recordingLog(): Logger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  const push = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

describe.skipIf(forcedNpm)('resolveMediaTools', () => {
  it("takes the system's matched pair before the npm packages, and logs it", async () => {
    const log = recordingLog();
    const tools = await resolveMediaTools({ env: noEnv, log });
    expect([tools.ffmpeg.path, tools.ffprobe.path].map((p) => path.basename(p))).toEqual(['ffmpeg', 'ffprobe']);
    expect(path.dirname(tools.ffmpeg.path)).toBe(path.dirname(tools.ffprobe.path));
    expect(tools).toMatchObject({ warning: null, ffmpeg: { source: 'PATH' }, ffprobe: { source: 'PATH' } });
    expect(tools.ffmpeg.version).toBe(tools.ffprobe.version);
    expect(ffmpegMajor(tools.ffmpeg)).toBeGreaterThanOrEqual(5);
    expect(isLegacyEncoder(tools)).toBe(false);
    expect(log.lines).toContainEqual({ level: 'info', message: 'media tools: a matched pair' });
  });

  it('prefers the bundled folder, then STATION_FFMPEG_DIR, to the system', async () => {
    const bundled = await folderWith('bundled', systemFfmpeg, systemFfprobe);
    const fromEnv = await folderWith('env-dir', systemFfmpeg, systemFfprobe);
    const both = await resolveMediaTools({ bundledDir: bundled, env: { STATION_FFMPEG_DIR: fromEnv } });
    expect(both).toMatchObject({ warning: null, ffmpeg: { source: 'bundled', path: path.join(bundled, 'ffmpeg') } });
    const envOnly = await resolveMediaTools({ env: { STATION_FFMPEG_DIR: fromEnv } });
    expect(envOnly).toMatchObject({ ffprobe: { source: 'STATION_FFMPEG_DIR', path: path.join(fromEnv, 'ffprobe') } });
  });

  it('passes over a mismatched folder for a matched pair further down', async () => {
    const mixed = await folderWith('mixed', npmFfmpeg, systemFfprobe);
    const tools = await resolveMediaTools({ bundledDir: mixed, env: noEnv });
    expect(tools).toMatchObject({ warning: null, ffmpeg: { source: 'PATH' } });
  });

  it('takes a configured pair as configured, with a warning when it is mismatched', async () => {
    const log = recordingLog();
    const tools = await resolveMediaTools({ ffmpegPath: npmFfmpeg, ffprobePath: systemFfprobe, env: noEnv, log });
    expect(tools).toMatchObject({
      warning: 'mismatched',
      ffmpeg: { source: 'configured', path: npmFfmpeg },
      ffprobe: { path: systemFfprobe },
    });
    expect(log.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'media tools: ffmpeg and ffprobe are not one release from one folder',
    ]);
    // One configured tool: its sibling is taken from the same folder.
    const beside = await resolveMediaTools({ env: { STATION_FFMPEG: systemFfmpeg } });
    expect(beside).toMatchObject({ warning: null, ffprobe: { source: 'configured', path: systemFfprobe } });
  });

  it('skips a configured pair that does not work', async () => {
    const broken = path.join(dir, 'broken-ffmpeg');
    await writeFile(broken, '#!/bin/sh\nexit 1\n');
    await chmod(broken, 0o755);
    const tools = await resolveMediaTools({ ffmpegPath: broken, ffprobePath: npmFfprobe, env: noEnv });
    expect(tools).toMatchObject({ warning: null, ffmpeg: { source: 'PATH' } });
  });

  it('passes over a STATION_FFMPEG_DIR whose tools hang on -version or print no banner, saying why', async () => {
    // A wrapper script whose child keeps the output open: the version check's timeout must still end it.
    const hanging = path.join(dir, 'hanging');
    const fake = path.join(dir, 'fake');
    await mkdir(hanging);
    await mkdir(fake);
    for (const name of ['ffmpeg', 'ffprobe']) {
      await writeFile(path.join(hanging, name), '#!/bin/sh\nsleep 600\n', { mode: 0o755 });
      await writeFile(path.join(fake, name), '#!/bin/sh\necho "totally ffmpeg"\n', { mode: 0o755 });
    }
    for (const folder of [hanging, fake]) {
      const log = recordingLog();
      const tools = await resolveMediaTools({ env: { STATION_FFMPEG_DIR: folder }, log });
      expect(tools).toMatchObject({ warning: null, ffmpeg: { source: 'PATH', path: systemFfmpeg } });
      expect(log.lines).toContainEqual({
        level: 'warn',
        message: 'configured media tools do not work, trying the next',
      });
    }
  }, 60_000);

  it('falls back to the npm pair with a warning when nothing else works', async () => {
    const log = recordingLog();
    const tools = await resolveMediaTools({ usePath: false, env: noEnv, log });
    expect(tools).toMatchObject({
      warning: 'npm-fallback',
      ffmpeg: { source: 'npm', path: npmFfmpeg, libavcodec: '58.42.100' },
      ffprobe: { source: 'npm', path: npmFfprobe },
    });
    expect(isLegacyEncoder(tools)).toBe(true);
    expect(log.lines.find((l) => l.level === 'warn')?.message).toMatch(/npm fallback pair \(ffmpeg 4\.1 from 2018/);
  });

  it('names everything it tried when nothing works', async () => {
    const pending = resolveMediaTools({
      ffmpegPath: path.join(dir, 'missing-ffmpeg'),
      useNpmPackages: false,
      usePath: false,
      env: { STATION_FFMPEG_DIR: path.join(dir, 'also-missing') },
    });
    await expect(pending).rejects.toThrow(
      /No working ffmpeg and ffprobe found\. Tried: configured .*missing-ffmpeg.*; STATION_FFMPEG_DIR .*also-missing/,
    );
  });
});

describe.runIf(forcedNpm)('resolveMediaTools with STATION_MEDIA_TOOLS=npm-fallback', () => {
  it('takes the npm pair even when the system has a matched one', async () => {
    const tools = await resolveMediaTools({ env: noEnv });
    expect(tools).toMatchObject({
      warning: 'npm-fallback',
      ffmpeg: { path: npmFfmpeg },
      ffprobe: { path: npmFfprobe },
    });
  });
});

const tool = (over: Partial<ToolInfo>): ToolInfo => ({
  path: '/opt/ff/ffmpeg',
  version: '7.1',
  source: 'PATH',
  libavcodec: '61.19.100',
  libavformat: '61.7.100',
  ...over,
});

describe('isMatchedPair', () => {
  it('wants one folder, one banner version and the same libavcodec/libavformat major.minor', () => {
    const probe = tool({ path: '/opt/ff/ffprobe' });
    expect(isMatchedPair(tool({}), probe)).toBe(true);
    expect(isMatchedPair(tool({}), { ...probe, libavcodec: '61.19.101' })).toBe(true);
    expect(isMatchedPair(tool({}), { ...probe, path: '/usr/bin/ffprobe' })).toBe(false);
    expect(isMatchedPair(tool({}), { ...probe, version: '7.0' })).toBe(false);
    expect(isMatchedPair(tool({}), { ...probe, libavformat: '61.1.100' })).toBe(false);
    expect(isMatchedPair(tool({ libavcodec: null }), { ...probe, libavcodec: null })).toBe(false);
  });

  it('records both tools in a provenance', () => {
    const tools = { ffmpeg: tool({}), ffprobe: tool({ path: '/opt/ff/ffprobe' }), warning: null };
    expect(mediaToolsProvenance(tools)).toEqual({
      ffmpeg: { version: '7.1', source: 'PATH', libavcodec: '61.19.100', libavformat: '61.7.100' },
      ffprobe: { version: '7.1', source: 'PATH', libavcodec: '61.19.100', libavformat: '61.7.100' },
      matched: true,
    });
  });
});

describe('parseVersionOutput', () => {
  it('reads the version word of the first line and the libraries', () => {
    const debian = [
      'ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers',
      'built with gcc 12 (Debian 12.2.0-14+deb12u1)',
      'libavutil      57. 28.100 / 57. 28.100',
      'libavcodec     59. 37.100 / 59. 37.100',
      'libavformat    59. 27.100 / 59. 27.100',
    ].join('\n');
    expect(parseVersionOutput(debian)).toEqual({
      version: '5.1.9-0+deb12u1',
      libavcodec: '59.37.100',
      libavformat: '59.27.100',
    });
    expect(parseToolVersion('ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com/')).toBe(
      'N-66595-gc2b38619c0-static',
    );
    expect(ffmpegMajor(tool({ libavcodec: '58.42.100' }))).toBe(4);
    expect(ffmpegMajor(tool({ libavcodec: null }))).toBeNull();
  });

  it('rejects output that is not a version banner', () => {
    expect(() => parseToolVersion('hello')).toThrow(/unexpected -version output/);
  });
});
