import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeTree } from '../engine/harness';

/**
 * scripts/buildMediaTools.sh before it builds anything: what it refuses, what it tidies, and the
 * deb-src sources it fetches FFmpeg's source through. Each run is the real script in bash, stopped
 * before the (six-minute) build by a PATH without nasm, so these need neither network nor a build.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'buildMediaTools.sh');
const DEB_SRC = join(ROOT, 'scripts', 'debSrcSources.sh');

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('build-media-tools-');
});
afterEach(async () => {
  await removeTree(dir);
});

/** A folder of every program on this machine's usual PATH except `without`. */
function binWithout(without: string): string {
  const bin = join(dir, `bin-without-${without}`);
  if (existsSync(bin)) return bin;
  mkdirSync(bin);
  for (const from of ['/usr/local/bin', '/usr/bin', '/usr/sbin', '/bin', '/sbin']) {
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) {
      if (name === without || existsSync(join(bin, name))) continue;
      symlinkSync(join(from, name), join(bin, name));
    }
  }
  return bin;
}

function build(args: string[], path = binWithout('nasm')) {
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const run = spawnSync('/bin/bash', [SCRIPT, ...args], { encoding: 'utf8', env: { PATH: path, TMPDIR: tmp } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, tmpLeft: readdirSync(tmp) };
}

/** A process id no process has: one that has just ended. */
function endedPid(): number {
  const ended = spawnSync('true');
  expect(ended.status).toBe(0);
  return ended.pid!;
}

describe('buildMediaTools.sh', () => {
  it('names the missing build packages in one apt-get line and stops before making anything', () => {
    const out = join(dir, 'pair');
    const run = build(['--out', out]);
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^buildMediaTools: missing build packages; install them with: apt-get install -y --no-install-recommends (\S+ )*nasm( |$)/,
    );
    expect(existsSync(out)).toBe(false);
    expect(run.tmpLeft).toEqual([]);
  });

  it('refuses an --out that is a file, named without the trailing slash a shell completion adds', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a pair');
    const run = build(['--out', `${file}/`]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe(`buildMediaTools: ${file} exists and is not a folder; give --out a folder`);
    expect(readFileSync(file, 'utf8')).toBe('not a pair');
  });

  it('refuses an option without its value in one line', () => {
    for (const option of ['--out', '--version', '--jobs']) {
      const run = build([option]);
      expect(run.status).toBe(2);
      expect(run.stderr.trim()).toBe(`buildMediaTools: ${option} needs a value`);
    }
  });

  it("puts back the pair a killed build had moved aside, removes a dead build's stage, keeps a running one's", () => {
    // Spaces and CJK in the path, as in a user's own folder names; --out given with a trailing slash.
    const out = join(dir, 'my tools', '媒体 工具');
    mkdirSync(join(dir, 'my tools'));
    const movedAside = `${out}.old-${endedPid()}`;
    mkdirSync(movedAside);
    writeFileSync(join(movedAside, 'ffmpeg'), 'the old pair');
    const deadStage = `${out}.partial-${endedPid()}`;
    mkdirSync(deadStage);
    const runningStage = `${out}.partial-${process.pid}`;
    mkdirSync(runningStage);

    const run = build(['--out', `${out}/`]);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(`putting back the pair an interrupted build had moved aside: ${movedAside}`);
    expect(readFileSync(join(out, 'ffmpeg'), 'utf8')).toBe('the old pair');
    expect(readdirSync(join(dir, 'my tools')).sort()).toEqual(['媒体 工具', `媒体 工具.partial-${process.pid}`]);
  });

  it('removes a moved-aside pair of a dead build when a pair already has the name', () => {
    const out = join(dir, 'pair');
    mkdirSync(out);
    writeFileSync(join(out, 'ffmpeg'), 'the new pair');
    mkdirSync(`${out}.old-${endedPid()}`);
    expect(build(['--out', out]).status).toBe(2);
    expect(readdirSync(dir).filter((n) => n.startsWith('pair'))).toEqual(['pair']);
    expect(readFileSync(join(out, 'ffmpeg'), 'utf8')).toBe('the new pair');
  });
});

describe('debSrcSources.sh', () => {
  function convert(files: Record<string, string>): Record<string, string> {
    const etc = join(dir, 'etc-apt');
    mkdirSync(join(etc, 'sources.list.d'), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(etc, name), text);
    const out = join(dir, 'out');
    const run = spawnSync(DEB_SRC, [etc, out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    return Object.fromEntries(readdirSync(out).map((n) => [n, readFileSync(join(out, n), 'utf8')]));
  }

  it('turns a machine with one-line sources only into deb-src lines with the same options and keys', () => {
    const written = convert({
      'sources.list': [
        '# deb http://deb.debian.org/debian bookworm contrib',
        'deb http://deb.debian.org/debian bookworm main',
        '  deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://security.debian.org/debian-security bookworm-security main',
        'deb-src http://deb.debian.org/debian bookworm main',
        '',
      ].join('\n'),
      'sources.list.d/office.list': 'deb\thttp://mirror.office.example/debian bookworm-updates main\n',
    });
    expect(written).toEqual({
      'machine.list': [
        'deb-src http://deb.debian.org/debian bookworm main',
        'deb-src [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://security.debian.org/debian-security bookworm-security main',
        'deb-src http://mirror.office.example/debian bookworm-updates main',
        '',
      ].join('\n'),
    });
  });

  it('switches the types of deb822 sources to deb-src and keeps everything else', () => {
    const stanza = (types: string) =>
      `Types: ${types}\nURIs: http://deb.debian.org/debian\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`;
    const written = convert({ 'sources.list.d/debian.sources': `${stanza('deb')}\n${stanza('deb deb-src')}` });
    expect(written).toEqual({ 'debian.sources': `${stanza('deb-src')}\n${stanza('deb-src')}`, 'machine.list': '' });
  });
});
