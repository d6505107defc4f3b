import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_COMPONENTS, listedNames, missingComponents } from '../../scripts/mediaToolsCheck.mjs';
import { resolveMediaTools } from '../../src/core/media/tools/binaries';
import { makeTempDir, removeTree } from '../engine/harness';

/**
 * The component check a built pair must pass before it is shipped (scripts/buildMediaTools.sh
 * runs it), run here on the pair the suite itself uses: a listing the parser misread would fail
 * the real pair, and a component the station needs but the pair lacks is named.
 */

const ROOT = join(import.meta.dirname, '..', '..');

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('media-tools-check-');
});
afterAll(async () => {
  await removeTree(dir);
});

describe('mediaToolsCheck', () => {
  it('finds every component the station uses in the pair the suite runs on', async () => {
    const tools = await resolveMediaTools();
    expect(missingComponents(dirname(tools.ffmpeg.path))).toEqual([]);
  });

  it('names each missing component with its kind', async () => {
    const tools = await resolveMediaTools();
    const missing = missingComponents(dirname(tools.ffmpeg.path), {
      encoders: ['aac', 'no-such-encoder'],
      muxers: ['mp4', 'no-such-muxer'],
      filters: ['scale', 'no-such-filter'],
    });
    expect(missing).toEqual(['encoder no-such-encoder', 'muxer no-such-muxer', 'filter no-such-filter']);
  });

  it('asks for every bitstream filter the muxers insert by themselves in the lossless copies of clips', async () => {
    // Not named in any argument the station passes, so only a real copy shows which the muxers take:
    // H.264 + AAC from MP4 into MPEG-TS, and that MPEG-TS (ADTS AAC) back into MP4, MOV and Matroska.
    const tools = await resolveMediaTools();
    const copy = (args: string[]): string[] => {
      const run = spawnSync(tools.ffmpeg.path, ['-nostdin', '-v', 'verbose', '-y', ...args], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return [...run.stderr.matchAll(/Automatically inserted bitstream filter '(\w+)'/g)].map((m) => m[1]!);
    };
    const mp4 = join(dir, 'camera.mp4');
    const ts = join(dir, 'camera.ts');
    copy([
      ...['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=10:duration=1', '-f', 'lavfi', '-i', 'sine=duration=1'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-c:a', 'aac', '-shortest', mp4],
    ]);
    const inserted = new Set([
      ...copy(['-i', mp4, '-map', '0', '-c', 'copy', '-f', 'mpegts', ts]),
      ...copy(['-i', ts, '-map', '0', '-c', 'copy', '-f', 'mp4', join(dir, 'clip.mp4')]),
      ...copy(['-i', ts, '-map', '0', '-c', 'copy', '-f', 'mov', join(dir, 'clip.mov')]),
      ...copy(['-i', ts, '-map', '0', '-c', 'copy', '-f', 'matroska', join(dir, 'clip.mkv')]),
    ]);
    expect([...inserted].sort()).toEqual(['aac_adtstoasc', 'h264_mp4toannexb']);
    for (const name of inserted) expect(REQUIRED_COMPONENTS.bsfs).toContain(name);
  });

  it("reads ffmpeg's listings: one-letter flag columns, comma-separated aliases, and no header words", () => {
    const muxers = listedNames(
      ' D. = Demuxing supported\n --\n  E 3g2             3GP2\n DE mov,mp4,m4a    QuickTime / MOV\n',
    );
    expect([...muxers].filter((n) => n !== '=')).toEqual(['3g2', 'mov', 'mp4', 'm4a']);
    const filters = listedNames(
      'Filters:\n  T.. = Timeline support\n ..C scale            V->V       Scale the input video size.\n',
    );
    expect(filters.has('scale')).toBe(true);
    expect(filters.has('Filters:')).toBe(false);
    expect(Object.values(REQUIRED_COMPONENTS).every((names) => names.length > 0)).toBe(true);
    // The bitstream filter and protocol listings have no flag column: a bare name per line.
    const bsfs = listedNames('Bitstream filters:\naac_adtstoasc\nh264_mp4toannexb\n');
    expect([...bsfs]).toEqual(['aac_adtstoasc', 'h264_mp4toannexb']);
    const protocols = listedNames('Supported file protocols:\nInput:\n  file\n  pipe\nOutput:\n  file\n');
    expect([...protocols]).toEqual(['file', 'pipe']);
  });

  it('the build script parses, and refuses an unknown argument in one line', () => {
    const script = join(ROOT, 'scripts', 'buildMediaTools.sh');
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const wrong = spawnSync('bash', [script, '--no-such-flag'], { encoding: 'utf8' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim()).toBe('buildMediaTools: unknown argument: --no-such-flag');
    const help = spawnSync('bash', [script, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: scripts/buildMediaTools.sh');
    // The header comment only, ending with its usage line.
    expect(help.stdout.trim().split('\n').at(-1)).toMatch(/^Usage: scripts\/buildMediaTools.sh /);
  });
});
