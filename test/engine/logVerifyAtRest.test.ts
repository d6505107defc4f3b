import { chmod, lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/core/engine';
import { SCHEMA_VERSION } from '../../src/core/db/schemaVersion';
import { acquireEngineLock, holdEngineLockToRead } from '../../src/core/station/engineLock';
import { runCli } from './cliRunner';
import { makeTempDir, removeTree } from './harness';
import { tamper } from './tamper';

/**
 * `log verify` on a station at rest reads it without an engine: it starts no ffmpeg or ffprobe
 * (the media tools here are scripts that leave a marker, then run the real tool), writes nothing
 * in the data directory, and says what the engine says. A station an engine would have to change
 * first still goes through the engine, and a schema this build does not read is refused.
 */

let root: string;
let tools: string;
let marker: string;

/** Every file and folder under `dir` with what a write would change: size, mode and times. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (at: string): Promise<void> => {
    const info = await lstat(at);
    out[at.slice(dir.length) || '/'] = `${info.size} ${info.mode} ${info.mtimeMs} ${info.ctimeMs}`;
    if (info.isDirectory()) for (const name of await readdir(at)) await walk(join(at, name));
  };
  await walk(dir);
  return out;
}

const markerText = (): Promise<string> => readFile(marker, 'utf8').catch(() => '');

/** The CLI with the marking tools first everywhere the station looks for them. */
function cli(...args: string[]): ReturnType<typeof runCli> {
  return runCli(args, {
    STATION_FFMPEG_DIR: tools,
    PATH: `${tools}:${process.env.PATH ?? ''}`,
    // The forced npm pair (CI's fallback run) would pass over the marking tools.
    STATION_MEDIA_TOOLS: '',
    STATION_PASSWORD: '',
  });
}

async function newStation(name: string): Promise<string> {
  const data = join(root, name);
  const init = await runCli(['init', '--admin', 'admin', '--data', data]);
  expect(init.code, init.stderr).toBe(0);
  return data;
}

beforeAll(async () => {
  root = await makeTempDir('verify-at-rest');
  tools = join(root, 'tools');
  marker = join(root, 'tools-ran.txt');
  await mkdir(tools);
  for (const tool of ['ffmpeg', 'ffprobe']) {
    const script = join(tools, tool);
    await writeFile(script, `#!/bin/sh\necho "${tool} $*" >> '${marker}'\nexec /usr/bin/${tool} "$@"\n`);
    await chmod(script, 0o755);
  }
});

afterAll(async () => {
  await removeTree(root);
});

describe('log verify on a station at rest', () => {
  it('starts no media tool, writes nothing, and gives the verdict the engine gives', async () => {
    const data = await newStation('quiet');
    const before = await snapshot(data);
    await writeFile(marker, '');

    const json = await cli('log', 'verify', '--json', '--data', data);
    expect(json.code, json.stderr).toBe(0);
    const human = await cli('log', 'verify', '--data', data);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/^custody chain intact: \d+ entries\n/);

    expect(await markerText()).toBe('');
    expect(await snapshot(data)).toEqual(before);
    expect((await readdir(data)).filter((f) => /-(wal|shm|journal)$/.test(f))).toEqual([]);

    const engine = await createEngine({ dataDir: data, runJobs: false, log: quiet });
    try {
      expect(JSON.parse(json.stdout)).toEqual(await engine.call('custody.verify', {}, { sessionId: null, via: 'cli' }));
    } finally {
      await engine.close();
    }
  }, 120_000);

  it('the marking tools do mark: a command that opens the engine starts them', async () => {
    const data = await newStation('control');
    await writeFile(marker, '');
    const show = await cli('log', 'show', '--data', data);
    expect(show.code, show.stderr).toBe(0);
    expect(await markerText()).toMatch(/ffmpeg -version/);
  }, 120_000);

  it('still finds an entry edited by hand, naming it, with nothing written', async () => {
    const data = await newStation('edited');
    tamper(data, (db) => db.prepare(`UPDATE custody SET details = '{"forged":true}' WHERE seq = 3`).run());
    const before = await snapshot(data);
    await writeFile(marker, '');
    const r = await cli('log', 'verify', '--json', '--data', data);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, firstBroken: 3, problem: 'entry 3 was altered' });
    expect(await markerText()).toBe('');
    expect(await snapshot(data)).toEqual(before);
  }, 120_000);

  it.each([
    ['older', SCHEMA_VERSION - 1, /older than this program's/],
    ['newer', SCHEMA_VERSION + 100, /newer than this program knows/],
  ])(
    'refuses a schema %s than this build in words, and migrates nothing',
    async (name, version, message) => {
      const data = await newStation(`schema-${name}`);
      tamper(data, (db) => db.pragma(`user_version = ${version}`));
      const before = await snapshot(data);
      const r = await cli('log', 'verify', '--data', data);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain(`schema version ${version}`);
      expect(await snapshot(data)).toEqual(before);
    },
    120_000,
  );

  it('goes through the engine when the head file differs, so that the finding is on the record', async () => {
    const data = await newStation('head-unreadable');
    await writeFile(join(data, 'custody-head.json'), '{"seq": "not a number"}\n');
    await writeFile(marker, '');
    const r = await cli('log', 'verify', '--json', '--data', data);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, headProblems: [{ kind: 'headUnreadable', id: 1 }] });
    expect(await markerText()).toMatch(/ffmpeg -version/);
  }, 120_000);
});

describe("the engine lock's shared hold for reading", () => {
  it('keeps an engine from starting, lets other reads share it, and is refused while an engine holds the lock', async () => {
    const data = await newStation('lock');
    const first = holdEngineLockToRead(data);
    const second = holdEngineLockToRead(data);
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    const owner = { since: '2026-12-03T00:00:00.000Z', socketPath: join(data, 'engine.sock'), version: 'test' };
    await expect(acquireEngineLock(data, owner)).rejects.toMatchObject({ code: 'station.inUse' });
    first!.release();
    second!.release();
    const lock = await acquireEngineLock(data, owner);
    try {
      expect(holdEngineLockToRead(data)).toBeNull();
    } finally {
      await lock.release();
    }
    expect(holdEngineLockToRead(join(root, 'no-such-station'))).toBeNull();
  }, 120_000);
});

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
