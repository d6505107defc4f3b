import { execFile } from 'node:child_process';
import { mkdir, rm, statfs, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors';
import { getMediaFixtures } from '../fixtures';
import {
  listNames,
  listStoredShas,
  makeSparseFile,
  makeTempDir,
  openStation,
  sha256File,
  type TestStation,
} from './harness';

/**
 * A data directory on a real, small file system (a 64 MiB tmpfs): an import that cannot fit is
 * refused before anything is written, and a disk that fills up mid-copy fails that file cleanly
 * as `diskFull`, keeping what was stored before it. Mounting needs Linux and root.
 */

const MiB = 1024 * 1024;
const run = promisify(execFile);

const mountDir = await makeTempDir('tmpfs');
const mountProblem = await run('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mountDir]).then(
  () => null,
  (error: unknown) => (error as Error).message.split('\n')[0] ?? 'mount failed',
);
if (mountProblem) await rm(mountDir, { recursive: true, force: true });

afterAll(async () => {
  if (mountProblem) return;
  await run('umount', [mountDir]);
  await rm(mountDir, { recursive: true, force: true });
});

describe.skipIf(mountProblem !== null)(
  `a data directory on a full disk${mountProblem ? ` — skipped: mounting a tmpfs failed (needs Linux and root): ${mountProblem}` : ''}`,
  () => {
    let station: TestStation;
    let sources: string;
    let ballastCalls = 0;
    const ballast = join(mountDir, 'ballast');

    beforeAll(async () => {
      station = await openStation({
        dataDir: join(mountDir, 'data'),
        testHooks: {
          // On the first verify, fill the disk to leave less room than the next file needs.
          beforeVerify: async () => {
            ballastCalls++;
            if (ballastCalls !== 1) return;
            const fs = await statfs(mountDir);
            const free = fs.bavail * fs.bsize;
            await writeFile(ballast, Buffer.alloc(free - 10 * MiB));
          },
        },
      });
      sources = join(station.root, 'sources');
      await mkdir(sources);
    });

    afterAll(async () => {
      await station?.cleanup();
    });

    it('refuses an import that cannot fit, before writing anything', async () => {
      const big = await makeSparseFile(join(sources, 'too-big.mp4'), 100 * MiB);
      const seqBefore = (await station.call('custody.list', { limit: 1 })).total;
      const error = await station.call('import.start', { paths: [big] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('import.insufficientSpace');
      expect((error as AppError).params).toMatchObject({ available: expect.any(Number), needed: expect.any(Number) });
      expect(await station.call('import.list', {})).toEqual([]);
      expect((await station.call('custody.list', { limit: 1 })).total).toBe(seqBefore);
      expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
      expect(await listStoredShas(station.dataDir)).toEqual([]);
      expect(ballastCalls).toBe(0);
    });

    it('fails a file as diskFull when the disk fills during its copy, and keeps the file before it', async () => {
      const fx = getMediaFixtures();
      const thirty = join(sources, 'thirty.mp4');
      // Real bytes (not sparse) are not needed: the store writes every zero it reads.
      await makeSparseFile(thirty, 30 * MiB);
      const record = await station.importAndWait([fx.h264, thirty]);

      expect(ballastCalls).toBe(1);
      expect(record.files.map((f) => [f.originalName, f.status, f.reasonCode])).toEqual([
        ['h264.mp4', 'imported', null],
        ['thirty.mp4', 'failed', 'diskFull'],
      ]);
      expect(record).toMatchObject({ state: 'completed', safeToWipe: false });
      expect(await listNames(join(station.dataDir, 'tmp'))).toEqual([]);
      const sha = await sha256File(fx.h264);
      expect(await listStoredShas(station.dataDir)).toEqual([sha]);
      expect(await sha256File(station.engine.storedPathOf(sha))).toBe(sha);

      const report = await station.engine.check({ rehash: true });
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);

      // With room again, the same file imports.
      await rm(ballast);
      const retry = await station.importAndWait([thirty]);
      expect(retry.files[0]).toMatchObject({ status: 'undecodable', sha256: await sha256File(thirty) });
      expect((await station.engine.check({ rehash: true })).ok).toBe(true);
    });
  },
);
