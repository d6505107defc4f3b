import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  distUrlFromHeadersUrl,
  electronSqliteBindingPath,
  electronSqliteCacheDir,
  ensureElectronSqliteBinding,
  planSqliteBuildSteps,
} from '../../scripts/electronSqlite.mjs';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const key = { sqliteVersion: '12.11.1', electronVersion: '45.5.0', abi: '150', platform: 'linux', arch: 'x64' };
const target = { electronVersion: '45.5.0', platform: 'linux', arch: 'x64' };

describe('electronSqliteCacheDir', () => {
  it('lives under out/native, named by every input that changes the binary', () => {
    expect(electronSqliteCacheDir('/repo', key)).toBe(
      path.join('/repo', 'out', 'native', 'better-sqlite3-12.11.1-electron-45.5.0-abi150-linux-x64'),
    );
    expect(electronSqliteBindingPath('/repo', key)).toBe(
      path.join(electronSqliteCacheDir('/repo', key), 'better_sqlite3.node'),
    );
    for (const change of [
      { sqliteVersion: '12.12.0' },
      { electronVersion: '46.0.0' },
      { abi: '151' },
      { arch: 'arm64' },
    ]) {
      expect(electronSqliteCacheDir('/repo', { ...key, ...change })).not.toBe(electronSqliteCacheDir('/repo', key));
    }
  });
});

describe('distUrlFromHeadersUrl', () => {
  it('takes the folder above the version folder, whatever version the address names', () => {
    expect(distUrlFromHeadersUrl('https://headers.example/dist/v22.20.0/node-v22.20.0-headers.tar.gz')).toBe(
      'https://headers.example/dist',
    );
  });

  it.each([undefined, null, '', 'not a url', 'file:///etc/v1/x.tar.gz'])('has no address for %j', (value) => {
    expect(distUrlFromHeadersUrl(value)).toBeNull();
  });
});

describe('planSqliteBuildSteps', () => {
  const base = { target, workDir: '/w/better-sqlite3', nodePath: '/usr/bin/node' };

  it('tries the prebuilt download for Electron first, then a source build against its headers', () => {
    const steps = planSqliteBuildSteps({
      ...base,
      prebuildInstallCli: '/nm/prebuild-install/bin.js',
      nodeGypCli: '/npm/node-gyp/bin/node-gyp.js',
      distUrl: 'https://headers.example/dist',
    });
    expect(steps.map((step) => step.label)).toEqual(['prebuild-install', 'node-gyp']);
    expect(steps.every((step) => step.command === '/usr/bin/node' && step.cwd === '/w/better-sqlite3')).toBe(true);
    expect(steps[0]?.args.join(' ')).toContain('--runtime electron --target 45.5.0 --platform linux --arch x64');
    expect(steps[1]?.args).toEqual(
      expect.arrayContaining([
        'rebuild',
        '--target=45.5.0',
        '--arch=x64',
        '--dist-url=https://headers.example/dist',
        '--directory=/w/better-sqlite3',
      ]),
    );
  });

  it('leaves out the source build without node-gyp or a headers address (Node headers would be wrong)', () => {
    const withoutUrl = planSqliteBuildSteps({
      ...base,
      prebuildInstallCli: '/p.js',
      nodeGypCli: '/g.js',
      distUrl: null,
    });
    expect(withoutUrl.map((step) => step.label)).toEqual(['prebuild-install']);
    const withoutGyp = planSqliteBuildSteps({
      ...base,
      prebuildInstallCli: null,
      nodeGypCli: null,
      distUrl: 'https://h',
    });
    expect(withoutGyp).toEqual([]);
  });
});

describe('ensureElectronSqliteBinding', () => {
  // A project folder that sees the real node_modules, so nothing is written into the checkout.
  // Node stands in for Electron: it answers the probe without `versions.electron`, so the target is
  // read from the electron package (45.x, its abi_version file).
  let root: string;
  let cached: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'electron-sqlite-'));
    await writeFile(path.join(root, 'package.json'), '{"name":"probe","private":true}');
    await symlink(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    const electronPackage = JSON.parse(await readFile(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8'));
    const sqlitePackage = JSON.parse(
      await readFile(path.join(ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8'),
    );
    const abi = (await readFile(path.join(ROOT, 'node_modules/electron/abi_version'), 'utf8')).trim();
    cached = electronSqliteBindingPath(root, {
      sqliteVersion: sqlitePackage.version,
      electronVersion: electronPackage.version,
      abi,
      platform: process.platform,
      arch: process.arch,
    });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reports a failed build with its reason and log, and caches nothing', async () => {
    const result = await ensureElectronSqliteBinding({
      root,
      electronPath: process.execPath,
      // A download address that refuses at once, so the test never depends on the network.
      env: { PATH: process.env.PATH, HOME: root, npm_config_better_sqlite3_binary_host: 'http://127.0.0.1:9' },
    });
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('prebuild-install failed') });
    expect(result.ok ? '' : result.reason).toContain('no source build');
    const logFile = result.ok ? '' : (result.logFile ?? '');
    expect(await readFile(logFile, 'utf8')).toContain('prebuild-install');
    expect(existsSync(cached)).toBe(false);
  });

  it('uses the cached build without building', async () => {
    await mkdir(path.dirname(cached), { recursive: true });
    await writeFile(cached, 'stand-in');
    let buildStarted = false;
    const result = await ensureElectronSqliteBinding({
      root,
      electronPath: process.execPath,
      env: {},
      onBuildStart: () => (buildStarted = true),
    });
    expect(result).toEqual({ ok: true, path: cached, built: false });
    expect(buildStarted).toBe(false);
  });
});
