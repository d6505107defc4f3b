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
 *   test('…', async ({ page, webHost }) => { await openStation(page, webHost); … });
 *
 * `openStation(page, webHost)` opens a fresh one-time address; the visit trades it for a cookie
 * and lands on `/`, after which `page.goto('/somewhere')` works because `baseURL` points at the host.
 */

export interface WebHostInfo {
  /** The first address the CLI printed, with its one-time token. */
  url: string;
  /** `http://127.0.0.1:<port>` without token or trailing slash. */
  baseURL: string;
  dataDir: string;
  /** Asks the running `serve` for another one-time address (a line on its stdin). */
  newLink(): Promise<string>;
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
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });

  const stop = async (): Promise<void> => {
    await killGroup(child);
    // The engine child may still be finishing its last writes (a thumbnail, the WAL) for a moment.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };

  try {
    const nextLine = readLines(child);
    const url = await nextLine();
    const parsed = new URL(url);
    if (!parsed.searchParams.get('token')) throw new Error(`serve printed an address without token: ${url}`);
    // One request at a time, so each answer pairs with its request.
    let asking: Promise<unknown> = Promise.resolve();
    const newLink = (): Promise<string> => {
      const answer = asking.then(() => {
        child.stdin!.write('\n');
        return nextLine();
      });
      asking = answer.catch(() => undefined);
      return answer;
    };
    return { info: { url, baseURL: parsed.origin, dataDir, newLink }, file, stop, stderr: () => stderr };
  } catch (error) {
    await stop();
    throw new Error(`station serve did not start: ${(error as Error).message}\n--- stderr ---\n${stderr}`, {
      cause: error,
    });
  }
}

/**
 * Reads `serve`'s stdout line by line: the first line is its address, and each later one the
 * answer to a `newLink()`. The returned function resolves with the next line, or rejects if none
 * comes in time or the process ends.
 */
function readLines(child: ChildProcess): () => Promise<string> {
  const queued: string[] = [];
  const waiting: { resolve(line: string): void; reject(error: Error): void }[] = [];
  let ended: Error | null = null;
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    const waiter = waiting.shift();
    if (waiter) waiter.resolve(line.trim());
    else queued.push(line.trim());
  });
  child.once('exit', (code, signal) => {
    ended = new Error(`exited early (code ${code}, signal ${signal})`);
    for (const waiter of waiting.splice(0)) waiter.reject(ended);
  });
  return () => {
    const line = queued.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (ended) return Promise.reject(ended);
    return new Promise<string>((resolveLine, rejectLine) => {
      const timer = setTimeout(
        () => rejectLine(new Error(`no line within ${STARTUP_TIMEOUT_MS} ms`)),
        STARTUP_TIMEOUT_MS,
      );
      waiting.push({
        resolve: (l) => {
          clearTimeout(timer);
          resolveLine(l);
        },
        reject: (e) => {
          clearTimeout(timer);
          rejectLine(e);
        },
      });
    });
  };
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

/**
 * Opens the station in `page`: a fresh one-time address (each test has its own browser context,
 * and an address opens the host once) sets the cookie, then the app is at `/`.
 */
export async function openStation(page: Page, host: WebHostInfo): Promise<void> {
  await page.goto(await host.newLink());
}

const SCREENSHOT_DIR = join(ROOT, 'e2e', 'screenshots');

/** Saves a full-page screenshot to `e2e/screenshots/<name>.png` for review of the UI. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
