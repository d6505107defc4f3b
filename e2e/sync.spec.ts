import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { runServerCommand, startServerProcess, type ServerProcess } from '../server/test/serverProcess';
import { useCjkFont } from './support/cjkFont';
import { signIn } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * Sync through the real web host, Chromium and the real central server on loopback: a case the
 * admin sealed and a supervisor approved (seeded in a child process) waits in the Sync panel; the
 * admin enrols the station with the server's one-time code, a wrong code first (refused in plain
 * words), then syncs; the version shows synced with its receipt, and the server's own page, signed
 * in as its operator, lists the case as verified. Screenshots in e2e/screenshots/sync-*.png.
 */

const PASSWORD = 'correct horse battery';
const OPERATOR = { name: 'operator', password: 'a long operator password' };
const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

let serverDir: string;
let server: ServerProcess;
let caseNumber = '';

test.describe.configure({ mode: 'serial' });

test.use({
  hostSetup: {
    beforeServe: async (dataDir) => {
      const { stdout } = await promisify(execFile)(
        TSX,
        [join(ROOT, 'test', 'sync', 'seedApprovedCaseMain.ts'), dataDir, PASSWORD],
        { cwd: ROOT, timeout: 120_000 },
      );
      caseNumber = (JSON.parse(stdout) as { number: string }).number;
    },
  },
});

test.beforeAll(async () => {
  serverDir = await mkdtemp(join(tmpdir(), 'station-e2e-central-'));
  const added = await runServerCommand(['user', 'add', OPERATOR.name, '--data', serverDir], {
    SERVER_PASSWORD: OPERATOR.password,
  });
  if (added.code !== 0) throw new Error(`server user add failed: ${added.stderr}`);
  server = await startServerProcess(serverDir);
});

test.afterAll(async () => {
  await server?.stop();
  if (serverDir) await rm(serverDir, { recursive: true, force: true });
});

async function enrolCode(): Promise<string> {
  const r = await runServerCommand(['enrol-code', '--data', serverDir]);
  if (r.code !== 0) throw new Error(`enrol-code failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').pop()!;
}

test('an approved case is enrolled, synced and listed as verified by the server', async ({ page, webHost }) => {
  test.setTimeout(180_000);
  await useCjkFont(page);
  await openStation(page, webHost);
  await signIn(page, { name: 'admin', password: PASSWORD });
  await page.getByTestId('nav-sync').click();
  const view = page.getByTestId('sync-view');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('sync-enrolment')).toHaveAttribute('data-enrolled', 'false');

  // A code naming another server key is refused, in words, and nothing is stored.
  const good = await enrolCode();
  const wrong = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
  await view.getByTestId('sync-enrol-url').fill(server.url);
  await view.getByTestId('sync-enrol-code').fill(wrong);
  await view.getByTestId('sync-enrol').click();
  await expect(view.getByTestId('error-banner')).toHaveAttribute('data-error-code', 'enrol.serverKeyMismatch');
  await saveScreenshot(page, 'sync-wrong-key');

  await view.getByTestId('sync-enrol-code').fill(good);
  await view.getByTestId('sync-enrol').click();
  await expect(view.getByTestId('sync-enrolment')).toHaveAttribute('data-enrolled', 'true');
  const row = view.locator(`[data-testid="sync-version"][data-case="${caseNumber}"]`);
  await expect(row).toHaveAttribute('data-state', /pending|uploading|synced/);

  await view.getByTestId('sync-now').click();
  await expect(row).toHaveAttribute('data-state', 'synced', { timeout: 60_000 });
  await expect(row.getByTestId('sync-receipt')).toHaveAttribute('data-seq', '1');
  await row.getByRole('button').click();
  await expect(view.locator('[data-testid="sync-file"][data-state="done"]').first()).toBeVisible();
  await saveScreenshot(page, 'sync-synced');

  // The central server's own page, as its operator (HTTP Basic from loopback).
  const basic = Buffer.from(`${OPERATOR.name}:${OPERATOR.password}`).toString('base64');
  await page.setExtraHTTPHeaders({ authorization: `Basic ${basic}` });
  await page.goto(`${server.url}/?lang=en`);
  await expect(page.locator('body')).toContainText(caseNumber);
  await expect(page.locator('body')).toContainText(/verified/i);
  await saveScreenshot(page, 'sync-server-list');
});
