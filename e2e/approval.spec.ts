import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { generateMediaFixtures } from '../test/fixtures/generateMedia';
import { signIn } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * A supervisor's review in Chromium through the real web host. Before the host starts, the
 * command line sets the station up as the night shift leaves it: a reviewer (wang) sealed a case;
 * a supervisor (li) exists. In the browser, wang sees the version waiting for a supervisor; li
 * finds it with the list's state filter, reads what the version holds, approves it, and the case
 * shows as approved with li's name. Screenshots: e2e/screenshots/approval-*.png.
 */

const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const PASSWORD = 'correct horse battery';
const TITLE = '夜间占道经营 Night market stall';
const run = promisify(execFile);

let caseNumber = '';

/**
 * The test machine has no CJK system font: the pages get the Noto Sans SC the report embeds, under
 * a name the station's font stack lists (as seal.spec.ts does), so the screenshots read.
 */
const CJK_FONT = join(
  ROOT,
  'node_modules',
  '@expo-google-fonts',
  'noto-sans-sc',
  '400Regular',
  'NotoSansSC_400Regular.ttf',
);
const CJK_FONT_URL = '/__e2e__/noto-sans-sc.ttf';

async function useCjkFont(page: Page): Promise<void> {
  await page.route(`**${CJK_FONT_URL}`, (route) => route.fulfill({ path: CJK_FONT, contentType: 'font/ttf' }));
  await page.addInitScript((url) => {
    const style = document.createElement('style');
    style.textContent = `@font-face { font-family: 'Noto Sans CJK SC'; src: url('${url}') format('truetype'); }`;
    document.addEventListener('DOMContentLoaded', () => document.head.append(style));
  }, CJK_FONT_URL);
}

// The command-line setup before the host starts counts against the test's time.
test.describe.configure({ mode: 'serial', timeout: 300_000 });

async function cli(dataDir: string, args: string[], user?: string): Promise<string> {
  const { stdout } = await run(
    TSX,
    ['src/cli/index.ts', ...args, '--data', dataDir, ...(user ? ['--user', user] : [])],
    {
      cwd: ROOT,
      env: { ...process.env, STATION_PASSWORD: PASSWORD, STATION_NEW_PASSWORD: PASSWORD, STATION_DATA: '' },
      timeout: 120_000,
    },
  );
  return stdout;
}

test.use({
  hostSetup: {
    async beforeServe(dataDir) {
      const fixtures = await generateMediaFixtures(join(tmpdir(), 'station-e2e-media'));
      const card = await mkdtemp(join(tmpdir(), 'station-e2e-approval-card-'));
      try {
        await mkdir(join(card, 'DCIM'));
        await copyFile(fixtures.h264, join(card, 'DCIM', 'FILE0001.MP4'));
        await cli(dataDir, ['init', '--admin', 'admin']);
        await cli(dataDir, ['user', 'add', 'wang', '--role', 'reviewer'], 'admin');
        await cli(dataDir, ['user', 'add', 'li', '--role', 'supervisor'], 'admin');
        const [item] = JSON.parse(await cli(dataDir, ['import', card, '--json'], 'wang')) as { id: string }[];
        const created = JSON.parse(await cli(dataDir, ['case', 'create', '--title', TITLE, '--json'], 'wang')) as {
          number: string;
        };
        caseNumber = created.number;
        await cli(dataDir, ['case', 'add', caseNumber, item!.id], 'wang');
        await cli(dataDir, ['seal', caseNumber], 'wang');
      } finally {
        await rm(card, { recursive: true, force: true });
      }
    },
  },
});

test('a reviewer seals, a supervisor reads the version and approves it', async ({ page, webHost, browser }) => {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });
  await useCjkFont(page);

  // The reviewer who sealed it sees the version waiting, with no way to approve it.
  await openStation(page, webHost);
  await signIn(page, { name: 'wang', password: PASSWORD });
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('case-row').filter({ hasText: caseNumber }).click();
  const caseView = page.getByTestId('case-view');
  const review = caseView.getByTestId('version-review');
  await expect(review).toBeVisible();
  await expect(review.getByTestId('review-approve')).toHaveCount(0);
  await expect(review.getByTestId('review-who')).toBeVisible();
  await saveScreenshot(page, 'approval-01-reviewer-waits');

  // The supervisor, in a browser of their own, finds it by state and reads what it holds.
  const context = await browser.newContext({ viewport: { width: 1600, height: 960 } });
  const supervisor = await context.newPage();
  supervisor.on('pageerror', (error) => errors.push(error.message));
  await useCjkFont(supervisor);
  await openStation(supervisor, webHost);
  await signIn(supervisor, { name: 'li', password: PASSWORD });
  await supervisor.getByTestId('nav-cases').click();
  await supervisor.getByTestId('cases-state').selectOption('sealed');
  const row = supervisor.getByTestId('case-row').filter({ hasText: caseNumber });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('case-state')).toHaveAttribute('data-state', 'sealed');
  await row.click();
  const panel = supervisor.getByTestId('version-review');
  await expect(panel.getByTestId('diff-items-added')).toHaveAttribute('data-count', '1');
  await expect(panel.getByTestId('diff-against')).toBeVisible();
  await saveScreenshot(supervisor, 'approval-02-supervisor-review');

  await panel.getByTestId('review-approve').click();
  const dialog = supervisor.getByTestId('approve-dialog');
  await expect(dialog).toContainText('wang');
  await saveScreenshot(supervisor, 'approval-03-approve-dialog');
  await dialog.getByTestId('approve-submit').click();
  await expect(dialog).toBeHidden();
  const supervisorCase = supervisor.getByTestId('case-view');
  await expect(supervisorCase).toHaveAttribute('data-state', 'approved');
  await expect(supervisorCase.getByTestId('version-review')).toHaveCount(0);
  const v1 = supervisorCase.locator('[data-testid="case-version"][data-version="1"]');
  await expect(v1.getByTestId('version-state')).toHaveAttribute('data-state', 'approved');
  await expect(v1.getByTestId('version-approved')).toContainText('li');
  await expect(supervisorCase.locator('[data-testid="case-record-entry"][data-action="case.approve"]')).toHaveCount(1);
  await saveScreenshot(supervisor, 'approval-04-approved');
  await supervisor.getByTestId('locale-en').click();
  await expect(v1.getByTestId('version-approved')).toContainText('Approved by li');
  await saveScreenshot(supervisor, 'approval-04-approved-en');

  // The approved version's export carries the signed approval; the Verify screen says who and when.
  const medium = await mkdtemp(join(tmpdir(), 'station-e2e-approval-usb-'));
  try {
    await supervisorCase.getByTestId('export-open').click();
    const exporter = supervisor.getByTestId('export-dialog');
    await exporter.getByTestId('export-folder').click();
    await exporter.getByTestId('export-target').fill(medium);
    await exporter.getByTestId('export-start').click();
    await expect(exporter.getByTestId('export-done').or(exporter.getByTestId('error-banner'))).toBeVisible({
      timeout: 120_000,
    });
    await expect(exporter.getByTestId('error-banner')).toHaveCount(0);
    const bag = (await exporter.getByTestId('export-path').textContent())!;
    await exporter.getByTestId('export-close').click();
    await supervisor.getByTestId('nav-verify').click();
    const verify = supervisor.getByTestId('verify-view');
    await verify.getByTestId('verify-path').fill(bag);
    await verify.getByTestId('verify-run').click();
    const result = supervisor.getByTestId('verify-result');
    await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
    await expect(result.getByTestId('verify-approval')).toContainText('Approved by li at');
    await expect(result.getByTestId('verify-approval')).toHaveAttribute('data-verified', 'true');
    await expect(result.locator('[data-testid="verify-check"][data-check="approval"]')).toHaveAttribute(
      'data-ok',
      'true',
    );
    await saveScreenshot(supervisor, 'approval-05-verify-en');
  } finally {
    // The exported package is read-only; make it removable first.
    await run('chmod', ['-R', 'u+w', medium]).catch(() => undefined);
    await rm(medium, { recursive: true, force: true });
  }

  await supervisor.getByTestId('nav-cases').click();
  await supervisor.getByTestId('cases-state').selectOption('approved');
  await expect(supervisor.getByTestId('case-row').filter({ hasText: caseNumber })).toHaveCount(1);
  await context.close();
  expect(errors).toEqual([]);
});
