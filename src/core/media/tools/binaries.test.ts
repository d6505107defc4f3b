import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToolVersion, resolveMediaTools } from './binaries';

const npmFfmpeg = path.resolve('node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
const npmFfprobe = path.resolve('node_modules/@ffprobe-installer/linux-x64/ffprobe');
const noEnv = {};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'binaries-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveMediaTools', () => {
  it('falls back to the npm installer packages and reads their versions', async () => {
    const tools = await resolveMediaTools({ env: noEnv });
    expect(tools.ffmpeg.path).toBe(npmFfmpeg);
    expect(tools.ffprobe.path).toBe(npmFfprobe);
    expect(tools.ffmpeg.version).toMatch(/^N-\d+/);
    expect(tools.ffprobe.version).toMatch(/^N-\d+/);
  });

  it('prefers an explicit path, then the environment, over the npm packages', async () => {
    const explicit = path.join(dir, 'explicit-ffmpeg');
    const fromEnv = path.join(dir, 'env-ffprobe');
    await symlink(npmFfmpeg, explicit);
    await symlink(npmFfprobe, fromEnv);
    const tools = await resolveMediaTools({ ffmpegPath: explicit, env: { STATION_FFPROBE: fromEnv } });
    expect(tools.ffmpeg.path).toBe(explicit);
    expect(tools.ffprobe.path).toBe(fromEnv);
  });

  it('uses the bundled folder before the npm packages', async () => {
    const bundled = path.join(dir, 'bundled');
    await mkdir(bundled);
    await symlink(npmFfmpeg, path.join(bundled, 'ffmpeg'));
    await symlink(npmFfprobe, path.join(bundled, 'ffprobe'));
    const tools = await resolveMediaTools({ bundledDir: bundled, env: noEnv });
    expect(tools.ffmpeg.path).toBe(path.join(bundled, 'ffmpeg'));
    expect(tools.ffprobe.path).toBe(path.join(bundled, 'ffprobe'));
  });

  it('skips a configured path that does not work', async () => {
    const broken = path.join(dir, 'broken-ffmpeg');
    await writeFile(broken, '#!/bin/sh\nexit 1\n');
    await chmod(broken, 0o755);
    const tools = await resolveMediaTools({ ffmpegPath: broken, env: noEnv });
    expect(tools.ffmpeg.path).toBe(npmFfmpeg);
  });

  it('names everything it tried when nothing works', async () => {
    const pending = resolveMediaTools({
      ffmpegPath: path.join(dir, 'missing-ffmpeg'),
      ffprobePath: npmFfprobe,
      useNpmPackages: false,
      usePath: false,
      env: { STATION_FFMPEG: path.join(dir, 'also-missing') },
    });
    await expect(pending).rejects.toThrow(
      /No working ffmpeg found\. Tried: option .*missing-ffmpeg.*; env .*also-missing/,
    );
  });
});

describe('parseToolVersion', () => {
  it('reads the version word of the first line', () => {
    expect(parseToolVersion('ffmpeg version 6.1.1-3ubuntu5 Copyright (c) 2000-2023\nbuilt with gcc')).toBe(
      '6.1.1-3ubuntu5',
    );
    expect(parseToolVersion('ffprobe version N-66595-gc2b38619c0-static https://johnvansickle.com/')).toBe(
      'N-66595-gc2b38619c0-static',
    );
  });

  it('rejects output that is not a version banner', () => {
    expect(() => parseToolVersion('hello')).toThrow(/unexpected -version output/);
  });
});
