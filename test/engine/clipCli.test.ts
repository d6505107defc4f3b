import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures } from '../fixtures';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';

/**
 * `clip` and `still` on the command line, as a script drives them: the documented `--json` shape
 * (src/cli/commands/clip.ts), hashes a court clerk can recompute with `sha256sum`, custody entries
 * in `log show`, and exit codes (0 ok, 1 refused or failed, 2 usage).
 */

const run = promisify(execFile);

let root: string;
let data: string;
let source: { id: string; sha256: string };

const cli = (...args: string[]) => runCli([...args, '--data', data]);

async function sha256sum(path: string): Promise<string> {
  const { stdout } = await run('sha256sum', ['--', path]);
  return stdout.split(' ')[0]!;
}

const MADE_KEYS = [
  'id',
  'sha256',
  'storedPath',
  'size',
  'originalName',
  'kind',
  'mode',
  'from',
  'to',
  'durationSec',
  'frameCount',
  'requestedFrom',
  'requestedTo',
  'source',
  'sourceId',
  'createdAt',
].sort();

interface MadeLine {
  id: string;
  sha256: string;
  storedPath: string;
  kind: string;
  mode: string | null;
  from: number;
  to: number;
  durationSec: number;
  frameCount: number;
  source: string;
}

beforeAll(async () => {
  const fx = getMediaFixtures();
  root = await makeTempDir('clipcli');
  data = join(root, 'data');
  const init = await cli('init', '--admin', 'admin');
  expect(init.code, init.stderr).toBe(0);
  const imported = await cli('import', fx.review, fx.photoGps, '--json');
  expect(imported.code, imported.stderr).toBe(0);
  const lines = JSON.parse(imported.stdout) as { id: string; sha256: string; relativePath: string }[];
  source = lines.find((l) => l.relativePath === 'review.mp4')!;
});

afterAll(async () => {
  await removeTree(root);
});

describe('clip', () => {
  it('cuts an exact clip of an item given by SHA-256 and prints it as JSON', async () => {
    const r = await cli('clip', source.sha256, '--from', '1.5', '--to', '2.5', '--mode', 'exact', '--json');
    expect(r.code, r.stderr).toBe(0);
    const made = JSON.parse(r.stdout) as MadeLine;
    expect(Object.keys(made).sort()).toEqual(MADE_KEYS);
    expect(made).toMatchObject({
      kind: 'clip',
      mode: 'exact',
      from: 1.52,
      to: 2.52,
      frameCount: 25,
      source: source.sha256,
    });
    expect(made.durationSec).toBeCloseTo(1, 1);
    expect(await sha256sum(made.storedPath)).toBe(made.sha256);
    expect((await stat(made.storedPath)).mode & 0o777).toBe(0o444);

    const log = await cli('log', 'show', '--item', made.id, '--json');
    expect(log.code, log.stderr).toBe(0);
    expect(JSON.stringify(JSON.parse(log.stdout))).toContain('"clip.create"');
  });

  it('cuts a lossless clip by item id from the keyframe, with human output', async () => {
    const r = await cli('clip', source.id, '--from', '1.5', '--to', '2.5', '--mode', 'lossless');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lossless clip 1\.000–2\.\d{3} s \(\d+ frames\) of [0-9a-f]{64}$/m);
    expect(r.stdout).toMatch(/^stored {2}\/.* \(read-only\)$/m);
  });

  it('exits 2 for usage mistakes and 1 for refusals', async () => {
    const usage = [
      await cli('clip', source.id, '--from', '1', '--to', '2'),
      await cli('clip', source.id, '--from', 'soon', '--to', '2', '--mode', 'exact'),
      await cli('clip', source.id, '--from', '2', '--to', '1', '--mode', 'exact'),
      await cli('clip', '--from', '1', '--to', '2', '--mode', 'exact'),
    ];
    for (const r of usage) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/Usage:/);
    }
    const unknown = await cli('clip', 'f'.repeat(64), '--from', '1', '--to', '2', '--mode', 'exact');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/item\.notFound/);
    const outside = await cli('clip', source.id, '--from', '30', '--to', '40', '--mode', 'lossless', '--json');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toMatch(/clip\.range/);
    expect(outside.stdout).toBe('');
    expect(await readdir(join(data, 'tmp'))).toEqual([]);
  });
});

describe('still', () => {
  it('takes a still and prints it as JSON', async () => {
    const r = await cli('still', source.sha256, '--at', '2.01', '--json');
    expect(r.code, r.stderr).toBe(0);
    const made = JSON.parse(r.stdout) as MadeLine;
    expect(Object.keys(made).sort()).toEqual(MADE_KEYS);
    expect(made).toMatchObject({ kind: 'still', mode: null, from: 2, to: 2, frameCount: 1, source: source.sha256 });
    expect(await sha256sum(made.storedPath)).toBe(made.sha256);
    expect((await stat(made.storedPath)).mode & 0o777).toBe(0o444);
  });

  it('exits 2 without --at and 1 for a photo', async () => {
    expect((await cli('still', source.id)).code).toBe(2);
    const photo = await cli('import', getMediaFixtures().photoGps, '--json');
    const photoId = (JSON.parse(photo.stdout) as { id: string }[])[0]!.id;
    const r = await cli('still', photoId, '--at', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/item\.notRecording/);
  });
});
