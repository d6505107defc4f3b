import { execFile } from 'node:child_process';
import Database from 'better-sqlite3';
import { chmod, copyFile, mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMediaFixtures, type MediaFixtures } from '../fixtures';
import { runCli, spawnCli, whenCli } from './cliRunner';
import { makeSparseFile, makeTempDir, removeTree } from './harness';

/**
 * The command line as a user or a script drives it: real child processes on a real data dir.
 * Checked: exit codes (0 ok, 1 a problem, 2 usage), that `--json` stdout is nothing but JSON,
 * and the documented shape of `import --json` (src/cli/commands/import.ts).
 */

const run = promisify(execFile);

let root: string;
let data: string;
let card: string;
let fx: MediaFixtures;

/** What `sha256sum` says, the tool a court clerk would use. */
async function sha256sum(path: string): Promise<string> {
  const { stdout } = await run('sha256sum', ['--', path]);
  return stdout.split(' ')[0]!;
}

const cli = (...args: string[]) => runCli([...args, '--data', data]);

beforeAll(async () => {
  fx = getMediaFixtures();
  root = await makeTempDir('cli');
  data = join(root, 'data');
  card = join(root, 'card');
  await mkdir(join(card, 'DCIM'), { recursive: true });
  await copyFile(fx.h264, join(card, 'DCIM', 'h264.mp4'));
  await copyFile(fx.located, join(card, 'DCIM', 'located.mov'));
  await copyFile(fx.photoGps, join(card, 'DCIM', 'photo_gps.jpg'));
  await copyFile(fx.truncated, join(card, 'DCIM', 'truncated.mp4'));
  await copyFile(fx.bodycam, join(card, 'DCIM', 'DSJ-A8_012345_20260301093000_0001.MP4'));
  await copyFile(fx.zero, join(card, 'zero.mp4'));
});

afterAll(async () => {
  await removeTree(root);
});

type ImportLine = {
  path: string;
  relativePath: string;
  sha256: string | null;
  size: number;
  id: string | null;
  storedPath: string | null;
  duplicate: boolean;
  status: string;
  reason?: string;
  reasonCode?: string;
  media: Record<string, unknown> | null;
};

const MEDIA_KEYS = [
  'kind',
  'durationSec',
  'width',
  'height',
  'videoCodec',
  'audioCodec',
  'frameRate',
  'recordedAt',
  'recordedAtSource',
  'offsetKnown',
  'make',
  'model',
  'serial',
  'firmware',
  'deviceId',
  'officerId',
];
const LINE_KEYS = ['path', 'relativePath', 'sha256', 'size', 'id', 'storedPath', 'duplicate', 'status', 'media'];

let firstImport: ImportLine[];

describe('init', () => {
  it('refuses to run without a password from the environment or a terminal', async () => {
    const r = await runCli(['init', '--admin', 'admin', '--data', data], { STATION_PASSWORD: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STATION_PASSWORD/);
  });

  it('sets up the data directory and prints JSON with --json', async () => {
    const r = await cli('init', '--admin', 'admin', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dataDir: data,
      admin: 'admin',
      keyFingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
      // The test process sets no STATION_KEY_PASSPHRASE.
      keyProtection: process.env.STATION_KEY_PASSPHRASE ? 'passphrase' : 'fileMode',
    });
  });

  it('refuses a second setup with exit 1', async () => {
    const r = await cli('init', '--admin', 'other');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/setup\.alreadyDone/);
  });
});

describe('import', () => {
  it('imports a card and prints one JSON line per file in the documented shape', async () => {
    const r = await cli('import', card, '--json');
    expect(r.code, r.stderr).toBe(0);
    firstImport = JSON.parse(r.stdout) as ImportLine[];
    expect(firstImport.map((l) => [l.relativePath, l.status])).toEqual([
      ['DCIM/DSJ-A8_012345_20260301093000_0001.MP4', 'imported'],
      ['DCIM/h264.mp4', 'imported'],
      ['DCIM/located.mov', 'imported'],
      ['DCIM/photo_gps.jpg', 'imported'],
      ['DCIM/truncated.mp4', 'undecodable'],
      ['zero.mp4', 'skipped'],
    ]);
    for (const line of firstImport) {
      const expectedKeys = line.reasonCode ? [...LINE_KEYS, 'reason', 'reasonCode'] : LINE_KEYS;
      expect(Object.keys(line).sort(), line.relativePath).toEqual(expectedKeys.sort());
      expect(line.path).toBe(join(card, line.relativePath));
      expect(line.size).toBe((await stat(line.path)).size);
      expect(line.duplicate).toBe(false);
      if (line.status === 'skipped') {
        expect(line).toMatchObject({ sha256: null, id: null, storedPath: null, media: null, reasonCode: 'empty' });
        continue;
      }
      expect(line.sha256).toBe(await sha256sum(line.path));
      expect(line.id).toEqual(expect.any(String));
      const stored = await stat(line.storedPath!);
      expect(stored.mode & 0o777).toBe(0o444);
      expect(await sha256sum(line.storedPath!)).toBe(line.sha256);
      const mediaKeys = line.media && 'gps' in line.media ? [...MEDIA_KEYS, 'gps'] : MEDIA_KEYS;
      expect(Object.keys(line.media!).sort(), line.relativePath).toEqual(mediaKeys.sort());
    }
    expect(r.stderr).toMatch(/^\[1\/6\] imported +DCIM\/DSJ-A8/m);
    expect(r.stderr).toMatch(/import completed: 4 imported, 0 duplicate, 1 undecodable, 1 skipped, 0 failed/);
  });

  it('reports media facts: codecs, size, duration, time, place, device', () => {
    const line = (name: string) => firstImport.find((l) => l.relativePath.endsWith(name))!;
    expect(line('h264.mp4').media).toEqual({
      kind: 'video',
      durationSec: 3,
      width: 320,
      height: 240,
      videoCodec: 'h264',
      audioCodec: 'aac',
      frameRate: 25,
      recordedAt: '2026-03-01T09:30:00Z',
      recordedAtSource: 'container',
      offsetKnown: false,
      make: null,
      model: null,
      serial: null,
      firmware: null,
      deviceId: null,
      officerId: null,
    });
    const located = line('located.mov').media!;
    expect(located).toMatchObject({ make: 'ACME', model: 'BC-9', recordedAtSource: 'container' });
    expect(located.gps).toMatchObject({ lat: expect.closeTo(31.2304, 4), lon: expect.closeTo(121.4737, 4) });
    expect(line('photo_gps.jpg').media).toMatchObject({
      kind: 'photo',
      offsetKnown: true,
      recordedAt: '2026-03-01T09:30:00+08:00',
      make: 'Apple',
      model: 'iPhone 15 Pro',
      serial: 'SN-0042',
    });
    expect(line('0001.MP4').media).toMatchObject({ deviceId: 'DSJ-A8', officerId: '012345' });
    const truncated = line('truncated.mp4');
    expect(truncated).toMatchObject({ status: 'undecodable', reasonCode: 'probeFailed' });
    expect(truncated.reason).toMatch(/truncated\.mp4/);
    expect(truncated.reason).not.toContain(data);
  });

  it('reports a second import of the same card as duplicates of the same items', async () => {
    const r = await cli('import', join(card, 'DCIM'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const lines = JSON.parse(r.stdout) as ImportLine[];
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const before = firstImport.find((l) => l.path === line.path)!;
      expect(line).toMatchObject({
        status: 'duplicate',
        duplicate: true,
        id: before.id,
        sha256: before.sha256,
        storedPath: before.storedPath,
      });
    }
  });

  it('exits 1 when the import is cancelled with Ctrl-C, discarding the file in flight', async () => {
    const big = await makeSparseFile(join(root, 'big.mp4'), 2 * 1024 ** 3);
    const running = spawnCli(['import', big, fx.audio, '--json', '--data', data]);
    await whenCli(running, async () =>
      (await readdir(join(data, 'tmp')).catch(() => [] as string[])).some((n) => n.endsWith('.part')),
    );
    running.child.kill('SIGINT');
    const r = await running.done;
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/cancelling the import/);
    const lines = JSON.parse(r.stdout) as ImportLine[];
    expect(lines.map((l) => [l.status, l.reasonCode, l.storedPath])).toEqual([
      ['failed', 'cancelled', null],
      ['failed', 'cancelled', null],
    ]);
    expect(r.stderr).toMatch(/import cancelled: .*2 failed; NOT all files are safely stored/);
    expect(await readdir(join(data, 'tmp'))).toEqual([]);
  });

  it('exits 2 for usage mistakes, before touching the data directory', async () => {
    const untouched = join(root, 'untouched');
    const usage = (...args: string[]) => runCli([...args, '--data', untouched]);
    const missing = await usage('import');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/import needs at least one path/);
    const flag = await usage('import', card, '--bogus');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/bogus/);
    expect(flag.stderr).toMatch(/Usage:/);
    expect((await usage('frobnicate')).code).toBe(2);
    expect((await usage('log')).code).toBe(2);
    expect((await usage('init')).code).toBe(2);
    expect(await stat(untouched).catch(() => null)).toBeNull();
  });

  it('exits 1 with the error code for a wrong password or a missing source', async () => {
    const wrong = await runCli(['import', card, '--data', data], { STATION_PASSWORD: 'not the password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/auth\.invalid/);
    const gone = await cli('import', join(root, 'no-such-card'));
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/import\.sourceNotFound/);
  });
});

describe('log and check', () => {
  it('shows one item’s custody entries as JSON', async () => {
    const item = firstImport.find((l) => l.relativePath === 'DCIM/h264.mp4')!;
    const r = await cli('log', 'show', '--json', '--item', item.id!);
    expect(r.code, r.stderr).toBe(0);
    const entries = JSON.parse(r.stdout) as { action: string; subject: string; sha256: string; actor: string }[];
    expect(entries.map((e) => e.action)).toEqual(['import', 'import.duplicate']);
    for (const e of entries) expect(e).toMatchObject({ subject: item.id, sha256: item.sha256, actor: 'admin' });
  });

  it('checks the store and finds a deleted stored file', async () => {
    const ok = await cli('check', '--rehash', '--json');
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, items: 5, storedFiles: 5, rehashed: 5, problems: [] });

    const victim = firstImport.find((l) => l.relativePath === 'DCIM/located.mov')!;
    const dir = dirname(victim.storedPath!);
    const mode = (await stat(dir)).mode & 0o777;
    await chmod(dir, 0o700);
    await unlink(victim.storedPath!);
    await chmod(dir, mode);
    const broken = await cli('check', '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({
      ok: false,
      problems: [{ kind: 'missing', itemId: victim.id, sha256: victim.sha256 }],
    });
    const human = await cli('check');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/PROBLEMS FOUND/);

    // Restored from the untouched source, the station checks clean again.
    await chmod(dir, 0o700);
    await copyFile(victim.path, victim.storedPath!);
    await chmod(victim.storedPath!, 0o444);
    await chmod(dir, mode);
    expect((await cli('check', '--rehash')).code).toBe(0);
  });

  it('verifies the custody chain, and finds an entry edited by hand', async () => {
    const ok = await cli('log', 'verify', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    const verdict = JSON.parse(ok.stdout) as { ok: boolean; entries: number; firstBroken: number | null };
    expect(verdict).toMatchObject({ ok: true, firstBroken: null, problem: null });

    const db = new Database(join(data, 'station.db'));
    try {
      db.exec('DROP TRIGGER custody_no_update');
      db.prepare(`UPDATE custody SET details = '{"forged":true}' WHERE seq = 4`).run();
    } finally {
      db.close();
    }
    const broken = await cli('log', 'verify', '--json');
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBroken: 4, entries: expect.any(Number) });
    const human = await cli('log', 'verify');
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/BROKEN at entry 4/);
    expect((await cli('check')).code).toBe(1);
  });

  it('keeps stdout pure JSON with --json, logs going to stderr', async () => {
    const r = await cli('log', 'show', '--json');
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as { seq: number }[];
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  });
});
