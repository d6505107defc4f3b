import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/core/media/probe/probeMedia';
import { resolveMediaTools, type MediaTools } from '../../src/core/media/tools/binaries';
import type { ItemDetail } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { makeTempDir, openStation, removeTree, type TestStation } from './harness';

/**
 * The tool runs of one lossless clip, counted through wrapper scripts that log each start and then
 * run the real ffmpeg and ffprobe. A start of a dynamically linked build costs ~0.1 s of CPU in the
 * loader alone (the clips figure compares the clip with one ffmpeg run), so the clip path makes
 * only the runs it needs: the cut, and one ffprobe of the clip whose answer both measures it and
 * gives its item's facts. The plan of an MP4 reads its sample table in-process; ffprobe lists the
 * recording's packets only where that cannot stand in for it (here: a range that reaches the end).
 */

let dir: string;
let runLog: string;
let real: MediaTools;
let station: TestStation;
let review: ItemDetail;

async function wrapper(name: 'ffmpeg' | 'ffprobe', target: string): Promise<string> {
  const path = join(dir, name);
  const script = `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${runLog}'\nexec '${target}' "$@"\n`;
  await writeFile(path, script);
  await chmod(path, 0o755);
  return path;
}

async function runsLogged(): Promise<string[]> {
  return (await readFile(runLog, 'utf8')).split('\n').filter((line) => line !== '');
}

beforeAll(async () => {
  dir = await makeTempDir('clip-tool-runs');
  runLog = join(dir, 'runs.log');
  await writeFile(runLog, '');
  real = await resolveMediaTools();
  station = await openStation({
    ffmpegPath: await wrapper('ffmpeg', real.ffmpeg.path),
    ffprobePath: await wrapper('ffprobe', real.ffprobe.path),
  });
  const record = await station.importAndWait([getMediaFixtures().review]);
  review = await station.call('items.get', { id: record.files[0]!.itemId! });
  // The recording's streams are read once per engine (opening it for review does it too).
  await station.call('clips.plan', { itemId: review.id, fromSec: 1, toSec: 2, mode: 'lossless' });
});

afterAll(async () => {
  await station?.cleanup();
  if (dir) await removeTree(dir);
});

describe('a lossless clip of a recording whose streams are known', () => {
  it('starts ffmpeg once and ffprobe once, on the clip, for its measurement and its facts', async () => {
    await writeFile(runLog, '');
    const made = await station.call('clips.create', {
      jobId: 'tool-runs-1',
      itemId: review.id,
      fromSec: 2.5,
      toSec: 3.5,
      mode: 'lossless',
    });
    const runs = await runsLogged();
    const stored = station.engine.storedPathOf(review.sha256);
    const ffprobes = runs.filter((line) => line.startsWith('ffprobe '));
    expect(runs.filter((line) => line.startsWith('ffmpeg '))).toHaveLength(1);
    expect(ffprobes).toHaveLength(1);
    expect(ffprobes.filter((line) => line.endsWith(stored))).toHaveLength(0);
    // The one read of the clip (its temp file) asks for packets, format and streams together.
    const ofClip = ffprobes.find((line) => !line.endsWith(stored)) ?? '';
    expect(ofClip).toContain(join(station.dataDir, 'tmp'));
    for (const flag of ['-show_format', '-show_streams', '-show_entries']) expect(ofClip).toContain(flag);

    // The item's facts are what a probe of its own (the import's way of reading a file) says of the stored clip.
    // From the keyframe at 2 s (one a second) to the last frame before 3.5 s, at 25 fps.
    expect(made.derivation.fromSec).toBeCloseTo(2, 6);
    expect(made.derivation.frameCount).toBe(Math.round((made.derivation.toSec - 2) * 25));
    const own = await probeMedia(real, station.engine.storedPathOf(made.item.sha256), {
      fileName: made.item.originalName,
      modifiedAt: null,
      patterns: [],
      stationOffsetMinutes: 0,
    });
    if (!own.ok) throw new Error(`the stored clip does not probe: ${own.reason}`);
    const facts = ['kind', 'container', 'mimeType', 'durationSec', 'width', 'height', 'frameRate'] as const;
    const more = ['videoCodec', 'audioCodec', 'pixelFormat', 'bitRate', 'browserPlayable'] as const;
    for (const key of [...facts, ...more]) {
      expect(own.info[key], key).toBeDefined();
      expect(made.item.media[key], key).toEqual(own.info[key]);
    }
  });

  it('cuts a range the clip panel planned with that plan: ffmpeg and the one ffprobe of the clip', async () => {
    const range = { itemId: review.id, fromSec: 4.1, toSec: 5.3, mode: 'lossless' } as const;
    const plan = await station.call('clips.plan', range);
    await writeFile(runLog, '');
    const made = await station.call('clips.create', { ...range, jobId: 'tool-runs-2' });
    const runs = await runsLogged();
    expect(runs.filter((line) => line.startsWith('ffmpeg '))).toHaveLength(1);
    const ffprobes = runs.filter((line) => line.startsWith('ffprobe '));
    expect(ffprobes).toHaveLength(1);
    expect(ffprobes[0]).toContain(join(station.dataDir, 'tmp'));
    // What was cut is what the plan said, as measured from the written clip.
    expect(made.derivation).toMatchObject({ fromSec: plan.fromSec, toSec: plan.toSec, frameCount: plan.frameCount });
    expect(made.derivation.provenance).toMatchObject({ planned: plan });
  });

  it('plans another range anew from the sample table, and asks ffprobe about a range that reaches the end', async () => {
    await writeFile(runLog, '');
    const lossless = await station.call('clips.plan', {
      itemId: review.id,
      fromSec: 4.1,
      toSec: 5.2,
      mode: 'lossless',
    });
    const exact = await station.call('clips.plan', { itemId: review.id, fromSec: 4.1, toSec: 5.3, mode: 'exact' });
    expect(lossless).toMatchObject({ mode: 'lossless', fromSec: 4 });
    expect(exact).toMatchObject({ mode: 'exact', fromSec: 4.12, toSec: 5.32 });
    expect(await runsLogged()).toEqual([]);
    // How long the last frame lasts is ffmpeg's estimate, so ffprobe lists the packets at the end.
    const toEnd = await station.call('clips.plan', { itemId: review.id, fromSec: 5.5, toSec: 60, mode: 'lossless' });
    expect(toEnd).toMatchObject({ fromSec: 5, toSec: 6 });
    const ffprobes = (await runsLogged()).filter((line) => line.startsWith('ffprobe '));
    expect(ffprobes).toHaveLength(1);
    expect(ffprobes[0]).toContain(station.engine.storedPathOf(review.sha256));
  });
});
