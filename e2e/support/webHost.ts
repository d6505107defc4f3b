import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, type Page } from '@playwright/test';

/**
 * Playwright fixtures that run the REAL station: `tsx src/cli/index.ts serve` as a child process
 * with its own temporary data directory, one per test file.
 *
 *   import { test, expect } from './support/webHost';
 *   test('…', async ({ page, webHost }) => { await page.goto(webHost.url); … });
 *
 * `webHost.url` carries the token; the first visit trades it for a cookie and lands on `/`, after
 * which `page.goto('/somewhere')` works because `baseURL` points at the host.
 */

export interface WebHostInfo {
  /** The address the CLI printed, token included. */
  url: string;
  /** `http://127.0.0.1:<port>` without token or trailing slash. */
  baseURL: string;
  token: string;
  dataDir: string;
}

/**
 * Work on the fresh data directory before `serve` opens it, such as seeding a large library.
 * A spec sets it with `test.use({ hostSetup: { beforeServe: async (dataDir) => … } })`; it runs once
 * per file, when that file's host starts, and its time counts against the first test's timeout.
 */
export interface HostSetup {
  beforeServe(dataDir: string): Promise<void>;
}

const ROOT = resolve(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const STARTUP_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

interface RunningHost {
  info: WebHostInfo;
  file: string;
  stop(): Promise<void>;
  stderr(): string;
}

async function startHost(file: string, setup: HostSetup | null): Promise<RunningHost> {
  const dataDir = await mkdtemp(join(tmpdir(), 'station-e2e-'));
  try {
    await setup?.beforeServe(dataDir);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  // Own process group, so stopping it also stops the node process tsx runs underneath.
  // The specs' camera folders are made under the temp folder, which a UI host does not read
  // unless the OS user who starts it says so.
  const args = ['src/cli/index.ts', 'serve', '--port', '0', '--data', dataDir, '--import-root', tmpdir()];
  const child = spawn(TSX, args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });

  const stop = async (): Promise<void> => {
    await killGroup(child);
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await readFirstLine(child);
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token');
    if (token === null) throw new Error(`serve printed an address without token: ${url}`);
    return { info: { url, baseURL: parsed.origin, token, dataDir }, file, stop, stderr: () => stderr };
  } catch (error) {
    await stop();
    throw new Error(`station serve did not start: ${(error as Error).message}\n--- stderr ---\n${stderr}`, {
      cause: error,
    });
  }
}

function readFirstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolveLine, rejectLine) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error(`no address within ${STARTUP_TIMEOUT_MS} ms`)), STARTUP_TIMEOUT_MS);
    const onExit = (code: number | null, signal: string | null): void =>
      fail(new Error(`exited early (code ${code}, signal ${signal})`));
    function fail(error: Error): void {
      cleanup();
      rejectLine(error);
    }
    function cleanup(): void {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.close();
    }
    child.once('exit', onExit);
    lines.once('line', (line) => {
      cleanup();
      // Keep draining stdout so a chatty host never blocks on a full pipe.
      child.stdout?.resume();
      resolveLine(line.trim());
    });
  });
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/**
 * Playwright has no per-file scope, so the worker keeps the host of the file it is running and
 * swaps it when a test from another file arrives; the last one stops with the worker.
 */
interface HostPool {
  hostFor(file: string, setup: HostSetup | null): Promise<RunningHost>;
}

export const test = base.extend<{ webHost: WebHostInfo; hostSetup: HostSetup | null }, { hostPool: HostPool }>({
  hostSetup: [null, { option: true }],
  hostPool: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const slot: { current: RunningHost | null } = { current: null };
      await use({
        async hostFor(file, setup) {
          if (slot.current?.file === file) return slot.current;
          await slot.current?.stop();
          slot.current = null;
          slot.current = await startHost(file, setup);
          return slot.current;
        },
      });
      await slot.current?.stop();
    },
    { scope: 'worker' },
  ],
  webHost: async ({ hostPool, hostSetup }, use, testInfo) => {
    const host = await hostPool.hostFor(testInfo.file, hostSetup);
    await use(host.info);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('station-stderr', { body: host.stderr(), contentType: 'text/plain' });
      console.error(`--- station serve stderr (${testInfo.title}) ---\n${host.stderr()}`);
    }
  },
  baseURL: async ({ webHost }, use) => {
    await use(webHost.baseURL);
  },
});

export { expect } from '@playwright/test';

/** Opens the station in `page`: the tokened address sets the cookie, then the app is at `/`. */
export async function openStation(page: Page, host: WebHostInfo): Promise<void> {
  await page.goto(host.url);
}

const SCREENSHOT_DIR = join(ROOT, 'e2e', 'screenshots');

/** Saves a full-page screenshot to `e2e/screenshots/<name>.png` for review of the UI. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
