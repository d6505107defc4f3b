import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveMediaTools, type MediaTools } from '../../src/core/media/binaries';
import { DEFAULT_FILE_NAME_PATTERNS } from '../../src/core/media/fileNamePatterns';
import { probeMedia } from '../../src/core/media/probeMedia';
import { ProbePool, ProbeWorkerError } from '../../src/core/import/probePool';
import { getMediaFixtures } from '../fixtures';

/** The import probes on worker threads: what a worker says must be what `probeMedia` says in place. */

let tools: MediaTools;
const pool = new ProbePool(2);

beforeAll(async () => {
  tools = await resolveMediaTools();
});

afterAll(async () => {
  await pool.close();
});

const ctxFor = (fileName: string) => ({
  fileName,
  modifiedAt: new Date('2026-03-01T01:30:00Z'),
  patterns: DEFAULT_FILE_NAME_PATTERNS,
  stationOffsetMinutes: 480,
});

describe('ProbePool', () => {
  it('gives what probeMedia gives in place, for several files at once, good and bad', async () => {
    const fx = getMediaFixtures();
    const files = [fx.h264, fx.audio, fx.photoGps, fx.truncated, fx.bodycam];
    const inPlace = await Promise.all(files.map((f) => probeMedia(tools, f, ctxFor(f.split('/').pop()!))));
    const onWorkers = await Promise.all(files.map((f) => pool.probe(tools, f, ctxFor(f.split('/').pop()!))));
    expect(onWorkers).toEqual(inPlace);
    expect(onWorkers.some((r) => !r.ok)).toBe(true);
  });

  it('fails the probes of a closed pool, and starts again on the next one', async () => {
    const fx = getMediaFixtures();
    // Settled as it happens: the failure arrives while the pool closes.
    const pending = pool.probe(tools, fx.h264, ctxFor('h264.mp4')).then(
      () => null,
      (error: unknown) => error,
    );
    await pool.close();
    expect(await pending).toBeInstanceOf(ProbeWorkerError);
    const again = await pool.probe(tools, fx.h264, ctxFor('h264.mp4'));
    expect(again.ok).toBe(true);
  });
});
