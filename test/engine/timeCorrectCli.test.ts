import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchResult } from '../../src/shared/batchSchemas';
import type { CustodyEntry } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * `time-correct` as a script drives it, in real processes: a camera clock corrected for a device
 * and for items named by hash, `--offset -3m12s` accepted as written, each item on the record,
 * and usage errors (exit 2) for a missing scope or an unreadable shift.
 */

let root: string;
let data: string;
let photo: { id: string; sha256: string };
let bodycam: { id: string; sha256: string };

const cli = (...args: string[]) => runCli([...args, '--data', data]);

beforeAll(async () => {
  const fx = getMediaFixtures();
  root = await makeTempDir('time-cli');
  data = join(root, 'data');
  const card = join(root, 'card');
  await mkdir(card);
  await copyFile(fx.photoGps, join(card, 'photo_gps.jpg'));
  await copyFile(fx.bodycam, join(card, 'DSJ-A8_012345_20260301093000_0001.MP4'));
  expect((await cli('init', '--admin', 'admin')).code).toBe(0);
  const r = await cli('import', card, '--json');
  expect(r.code, r.stderr).toBe(0);
  const lines = JSON.parse(r.stdout) as { relativePath: string; id: string; sha256: string }[];
  photo = lines.find((l) => l.relativePath === 'photo_gps.jpg')!;
  bodycam = lines.find((l) => l.relativePath.startsWith('DSJ-A8'))!;
});

afterAll(async () => {
  await removeTree(root);
});

describe('time-correct', () => {
  it('corrects the items named by hash, with the shift written as people write it', async () => {
    const r = await cli(
      'time-correct',
      photo.sha256.slice(0, 12),
      '--offset',
      '-3m12s',
      '--zone',
      '+08:00',
      '--reason',
      'camera clock 3 min 12 s fast',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('corrected');
    expect(r.stdout).toContain('2026-03-01T09:30:00+08:00 → 2026-03-01T09:26:48+08:00');
    expect(r.stdout).toMatch(/^1 of 1 corrected \(batch [0-9a-f-]+\)$/m);

    const log = await cli('log', 'show', '--item', photo.id, '--json');
    const entries = JSON.parse(log.stdout) as CustodyEntry[];
    expect(entries.filter((e) => e.action === 'item.correctTime').map((e) => e.details)).toEqual([
      expect.objectContaining({ shiftSec: -192, zone: '+08:00', previous: '2026-03-01T09:30:00+08:00' }),
    ]);
  });

  it('corrects every item of a device and prints JSON', async () => {
    const r = await cli(
      'time-correct',
      '--device',
      'DSJ-A8',
      '--offset',
      '0',
      '--zone',
      '+07:00',
      '--reason',
      'set to UTC+7',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as BatchResult;
    expect(out.results).toEqual([expect.objectContaining({ itemId: bodycam.id, outcome: 'done' })]);
    expect(out.results[0]!.recordedAt).toMatch(/\+07:00$/);
  });

  it('refuses a missing scope, two scopes, or a shift it cannot read, before opening the station', async () => {
    expect((await cli('time-correct', '--offset', '0', '--reason', 'x')).code).toBe(2);
    expect((await cli('time-correct', '--device', 'A', '--import', 'B', '--offset', '0', '--reason', 'x')).code).toBe(
      2,
    );
    const bad = await cli('time-correct', '--device', 'DSJ-A8', '--offset', '3 minutes', '--reason', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--offset');
  });
});
