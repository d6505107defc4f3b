import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { findElectronBinary } from '../scripts/electronBinary.mjs';
import { ensureElectronSqliteBinding } from '../scripts/electronSqlite.mjs';
import type { BridgeResult, StationBridge } from '../src/shared/bridge';

/**
 * The built desktop app, launched for real: first-run setup appears, the page has no Node and sees
 * exactly the bridge, and calls reach the engine over IPC. Skipped, with the reason, on machines
 * where Electron's binary was never downloaded (these CI machines cannot reach its release host).
 */

const ROOT = resolve(import.meta.dirname, '..');
const SCREENSHOTS = join(ROOT, 'e2e', 'screenshots');
const binary = findElectronBinary();

const skipReason = binary.ok
  ? null
  : `Electron's binary is not installed here (${binary.reason}); the desktop shell cannot launch`;
// The list reporter shows skipped tests without their reason; say it once in the run's output.
if (skipReason) console.warn(`electron.spec.ts skipped: ${skipReason}`);
test.skip(skipReason !== null, skipReason ?? '');

test.describe.configure({ mode: 'serial' });

let app: ElectronApplication;
let page: Page;
let dataDir: string;
const problems: string[] = [];

test.beforeAll(async () => {
  if (!binary.ok) return;
  // The first run may build better-sqlite3 for Electron from source, which takes minutes.
  test.setTimeout(10 * 60_000);
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js')) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  }
  // node_modules holds better-sqlite3 built for Node; the app needs Electron's build, as `npm start` gives it.
  const sqlite = await ensureElectronSqliteBinding({
    root: ROOT,
    electronPath: binary.path,
    onBuildStart: console.log,
  });
  if (!sqlite.ok) throw new Error(`better-sqlite3 could not be built for Electron: ${sqlite.reason}`);
  dataDir = await mkdtemp(join(tmpdir(), 'station-electron-'));
  await mkdir(SCREENSHOTS, { recursive: true });
  app = await electron.launch({
    executablePath: binary.path,
    // Chromium refuses to start as root without --no-sandbox (containers, CI). That flag drops the
    // OS process sandbox only; contextIsolation and the renderer sandbox checked below still hold.
    args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-gpu'],
    env: { ...process.env, STATION_DATA: dataDir, STATION_SQLITE_BINDING: sqlite.path, ELECTRON_ENABLE_LOGGING: '1' },
    cwd: ROOT,
  });
  app.process().stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  page = await app.firstWindow();
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
});

test.afterAll(async () => {
  await app?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('first run shows the setup screen', async () => {
  await expect(page.getByTestId('setup-name')).toBeVisible();
  expect(page.url()).toBe('app://station/index.html');
  await page.screenshot({ path: join(SCREENSHOTS, 'electron-setup.png') });
});

test('the page has no Node and sees exactly the bridge', async () => {
  const surface = await page.evaluate(() => {
    const station = (globalThis as unknown as { station?: StationBridge }).station;
    return {
      noRequire: typeof require === 'undefined',
      noProcess: typeof process === 'undefined',
      callIsFunction: typeof station?.call === 'function',
      keys: Object.keys(station ?? {}).sort(),
    };
  });
  expect(surface).toEqual({
    noRequire: true,
    noProcess: true,
    callIsFunction: true,
    keys: ['call', 'getPathForFile', 'on'],
  });
});

test('calls reach the engine over IPC and errors come back as codes', async () => {
  const [status, unknown, unauthenticated] = await page.evaluate(async () => {
    const station = (globalThis as unknown as { station: StationBridge }).station;
    return Promise.all([
      station.call('station.status', {}),
      station.call('no.such.method', {}),
      station.call('auth.whoami', {}, null),
    ]) as Promise<BridgeResult[]>;
  });
  expect(status).toMatchObject({ ok: true, value: { setupRequired: true } });
  expect(unknown).toEqual({ ok: false, error: { code: 'method.unknown', params: { method: 'no.such.method' } } });
  expect(unauthenticated).toMatchObject({ ok: false, error: { code: 'auth.required' } });
});

test('navigation away from the app is refused', async () => {
  await page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
  });
  await expect(page.getByTestId('setup-name')).toBeVisible();
  expect(page.url()).toBe('app://station/index.html');
  await page.screenshot({ path: join(SCREENSHOTS, 'electron-after-navigation.png') });
  expect(problems).toEqual([]);
});
