import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUIRED_COMPONENTS, listedNames, missingComponents } from '../../scripts/mediaToolsCheck.mjs';
import { resolveMediaTools } from '../../src/core/media/tools/binaries';

/**
 * The component check a built pair must pass before it is shipped (scripts/buildMediaTools.sh
 * runs it), run here on the pair the suite itself uses: a listing the parser misread would fail
 * the real pair, and a component the station needs but the pair lacks is named.
 */

const ROOT = join(import.meta.dirname, '..', '..');

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
  });
});
