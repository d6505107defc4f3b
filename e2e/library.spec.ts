import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { generateMediaFixtures, type FixtureName, type MediaFixtures } from '../test/fixtures/generateMedia';
import { expect, openStation, saveScreenshot, test } from './support/webHost';
import { PASSWORD_STEP_TIMEOUT_MS, signIn } from './support/stationSteps';

/**
 * The acceptance path of the library through the real web host and Chromium: first-run setup,
 * sign-in, import of a camera folder by typed path, thumbnails and metadata, a duplicate import,
 * and the language switch. Screenshots of each step land in e2e/screenshots for review.
 */

/** What the "camera" holds: playable, proxy-needing, located, body-cam named, photo, and one undecodable file. */
const CAMERA_FILES: FixtureName[] = ['h264', 'located', 'bodycam', 'hevc', 'photoGps', 'truncated'];
const ADMIN = { name: 'admin', displayName: '王警官', password: 'correct horse battery' };
/** Media fixtures are reused between runs; ffmpeg encodes take a while on two cores. */
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');

let fixtures: MediaFixtures;
let cameraDir: string;

function sha256Of(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  fixtures = await generateMediaFixtures(MEDIA_CACHE);
  const root = await mkdtemp(join(tmpdir(), 'station-e2e-camera-'));
  cameraDir = join(root, 'DCIM', '100MEDIA');
  await mkdir(cameraDir, { recursive: true });
  for (const name of CAMERA_FILES) {
    const source = fixtures[name];
    await copyFile(source, join(cameraDir, source.split('/').pop()!));
  }
});

test.afterAll(async () => {
  if (cameraDir) await rm(join(cameraDir, '..', '..'), { recursive: true, force: true });
});

async function importFolder(page: Page, path: string): Promise<Locator> {
  await page.getByTestId('open-import').click();
  const dialog = page.getByTestId('import-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('import-path-input').fill(path);
  await dialog.getByTestId('import-path-add').click();
  await expect(dialog.getByTestId('import-source-path')).toHaveText(path);
  return dialog;
}

test('setup, import, thumbnails and metadata, duplicate import, language switch', async ({ page, webHost }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });

  // First run: the station asks for an administrator, in Chinese by default.
  await openStation(page, webHost);
  const setup = page.getByTestId('setup-screen');
  await expect(setup).toBeVisible();
  await expect(setup.getByRole('heading', { level: 1 })).toHaveText('首次设置');
  await setup.getByTestId('setup-name').fill(ADMIN.name);
  await setup.getByTestId('setup-display-name').fill(ADMIN.displayName);
  await setup.getByTestId('setup-password').fill(ADMIN.password);
  await setup.getByTestId('setup-confirm').fill('something else');
  await setup.getByTestId('setup-submit').click();
  await expect(setup.getByTestId('setup-problem')).toBeVisible();
  await setup.getByTestId('setup-confirm').fill(ADMIN.password);
  await saveScreenshot(page, '01-first-run-setup');
  await setup.getByTestId('setup-submit').click();

  await expect(page.getByTestId('top-bar')).toBeVisible({ timeout: PASSWORD_STEP_TIMEOUT_MS });
  await expect(page.getByTestId('account-chip')).toContainText(ADMIN.displayName);
  await expect(page.getByTestId('library-empty')).toBeVisible();
  await saveScreenshot(page, '02-empty-library');

  // Sign out and back in; a wrong password is refused with a translated message.
  await page.getByTestId('sign-out').click();
  const signInForm = page.getByTestId('sign-in-screen');
  await expect(signInForm).toBeVisible();
  await signInForm.getByTestId('sign-in-name').fill(ADMIN.name);
  await signInForm.getByTestId('sign-in-password').fill('wrong password');
  await signInForm.getByTestId('sign-in-submit').click();
  await expect(signInForm.getByTestId('error-banner')).toHaveAttribute('data-error-code', 'auth.invalid');
  await signInForm.getByTestId('sign-in-password').fill(ADMIN.password);
  await saveScreenshot(page, '03-sign-in');
  await signInForm.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('library-empty')).toBeVisible({ timeout: PASSWORD_STEP_TIMEOUT_MS });

  // Import the camera folder by typing its path.
  let dialog = await importFolder(page, cameraDir);
  await saveScreenshot(page, '04-import-sources');
  await dialog.getByTestId('import-start').click();
  const record = dialog.getByTestId('import-record');
  // A small import may finish before the progress view paints; capture it when it is there.
  const progress = dialog.getByTestId('import-progress');
  if (await progress.isVisible().catch(() => false)) await saveScreenshot(page, '05-import-progress');
  await expect(record).toBeVisible({ timeout: 120_000 });
  await expect(record.getByTestId('record-verdict')).toHaveAttribute('data-safe', 'true');
  const files = record.getByTestId('record-file');
  await expect(files).toHaveCount(CAMERA_FILES.length);
  await expect(record.locator('[data-testid="record-file"][data-outcome="imported"]')).toHaveCount(
    CAMERA_FILES.length - 1,
  );
  await expect(record.locator('[data-testid="record-file"][data-outcome="undecodable"]')).toHaveCount(1);
  await expect(record.getByTestId('record-account')).toHaveText(ADMIN.name);
  await saveScreenshot(page, '06-import-record');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The library lists every file; thumbnails arrive from the background jobs.
  const count = page.getByTestId('library-count');
  await expect(count).toHaveAttribute('data-total', String(CAMERA_FILES.length));
  const cards = page.getByTestId('library-card');
  await expect(cards).toHaveCount(CAMERA_FILES.length);
  await expect(page.locator('[data-testid="library-card"][data-status="undecodable"]')).toHaveCount(1);
  await expect(
    page.locator('[data-testid="library-card"][data-status="undecodable"]').getByTestId('mark-undecodable'),
  ).toBeVisible();
  await expect
    .poll(() => page.locator('[data-testid="library-card"][data-status="ok"][data-thumbnail="ready"]').count(), {
      timeout: 120_000,
    })
    .toBe(CAMERA_FILES.length - 1);
  await expect
    .poll(() =>
      page.locator('[data-testid="library-card"] img.thumb-img').evaluateAll((images) =>
        images.every((img) => {
          const image = img as unknown as { complete: boolean; naturalWidth: number };
          return image.complete && image.naturalWidth > 0;
        }),
      ),
    )
    .toBe(true);
  await saveScreenshot(page, '07-library-thumbnails');

  // The located file's metadata in the detail pane, and its hash equal to one computed here.
  const located = cards.filter({ hasText: 'located.mov' });
  await located.click();
  const detail = page.getByTestId('detail');
  await expect(detail.getByTestId('detail-name')).toHaveText('located.mov');
  await expect(detail.getByTestId('detail-duration')).toContainText('0:00:02');
  await expect(detail.getByTestId('detail-video-codec')).toContainText('h264');
  await expect(detail.getByTestId('detail-gps')).toContainText('31.2304');
  await expect(detail.getByTestId('detail-gps')).toContainText('121.4737');
  await expect(detail.getByTestId('detail-sha256')).toHaveText(await sha256Of(fixtures.located));
  await expect(detail.getByTestId('preview-video')).toBeVisible();
  await expect(detail.getByTestId('custody-entry').first()).toBeVisible();
  await saveScreenshot(page, '08-detail-located');
  await detail.getByTestId('detail-custody').scrollIntoViewIfNeeded();
  await saveScreenshot(page, '08b-detail-metadata-custody');

  // The body-cam file's device and officer come from its name; its offset was assumed.
  await cards.filter({ hasText: 'DSJ-A8_012345' }).click();
  await expect(detail.getByTestId('detail-device')).toContainText('DSJ-A8');
  await expect(detail.getByTestId('detail-officer')).toContainText('012345');

  await page.getByTestId('view-list').click();
  await expect(page.getByTestId('library-row')).toHaveCount(CAMERA_FILES.length);
  await saveScreenshot(page, '09-library-list');
  await page.getByTestId('view-grid').click();

  // The same folder again: every file is a duplicate and the library does not grow.
  dialog = await importFolder(page, cameraDir);
  await dialog.getByTestId('import-start').click();
  await expect(dialog.getByTestId('import-record')).toBeVisible({ timeout: 120_000 });
  await expect(dialog.locator('[data-testid="record-file"][data-outcome="duplicate"]')).toHaveCount(
    CAMERA_FILES.length,
  );
  await expect(dialog.getByTestId('record-verdict')).toHaveAttribute('data-safe', 'true');
  await saveScreenshot(page, '10-duplicate-import-record');
  // "Show item" on a duplicate selects the item that already holds those bytes.
  await dialog
    .locator('[data-testid="record-file"]')
    .filter({ hasText: 'located.mov' })
    .getByTestId('record-show-item')
    .click();
  await expect(dialog).toBeHidden();
  await expect(detail.getByTestId('detail-name')).toHaveText('located.mov');
  await expect(count).toHaveAttribute('data-total', String(CAMERA_FILES.length));

  // Language: English and back; the choice is stored for the station and survives a reload.
  const importButton = page.getByTestId('open-import');
  await expect(importButton).toHaveText('导入');
  await page.getByTestId('locale-en').click();
  await expect(importButton).toHaveText('Import');
  await expect(count).toHaveText(`${CAMERA_FILES.length} items`);
  await saveScreenshot(page, '11-english');
  await page.reload();
  await expect(page.getByTestId('open-import')).toHaveText('Import');
  await page.getByTestId('locale-zh-CN').click();
  await expect(page.getByTestId('open-import')).toHaveText('导入');
  await expect(page.getByTestId('library-count')).toHaveText(`共 ${CAMERA_FILES.length} 项`);

  // Locking hides the work until the same account unlocks.
  await page.getByTestId('lock').click();
  const lock = page.getByTestId('lock-screen');
  await expect(lock).toBeVisible();
  await saveScreenshot(page, '12-locked');
  await lock.getByTestId('unlock-password').fill(ADMIN.password);
  await lock.getByTestId('unlock-submit').click();
  await expect(lock).toBeHidden({ timeout: PASSWORD_STEP_TIMEOUT_MS });
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(CAMERA_FILES.length));

  expect(errors).toEqual([]);
});

test('time correction, accounts, and drag-and-drop in a plain browser', async ({ page, webHost }) => {
  // Relies on the first test: the station is set up and the camera folder imported.
  await page.setViewportSize({ width: 1600, height: 960 });
  await openStation(page, webHost);
  await signIn(page, ADMIN);

  // Correct the body-cam clip's recorded time: logged, the original kept and shown.
  await page.getByTestId('library-card').filter({ hasText: 'DSJ-A8_012345' }).click();
  const detail = page.getByTestId('detail');
  const originalTime = await detail.getByTestId('detail-recorded-at').innerText();
  const custodyBefore = await detail.getByTestId('custody-entry').count();
  await detail.getByTestId('correct-time-open').click();
  const form = detail.getByTestId('correct-time-form');
  await form.getByTestId('correct-time-value').fill('2026-03-01T09:22:00');
  await form.getByTestId('correct-time-offset').fill('+08:00');
  await form.getByTestId('correct-time-reason').fill('记录仪时钟比工作站快 8 分钟');
  await saveScreenshot(page, '13-correct-time');
  await form.getByTestId('correct-time-submit').click();
  await expect(form).toBeHidden();
  await expect(detail.getByTestId('detail-recorded-at')).toContainText('2026-03-01 09:22:00 +08:00');
  await expect(detail.getByTestId('corrections').locator('li')).toHaveCount(1);
  await expect(detail.getByTestId('corrections')).toContainText('记录仪时钟比工作站快 8 分钟');
  expect(originalTime).not.toContain('09:22:00');
  await expect.poll(() => detail.getByTestId('custody-entry').count()).toBeGreaterThan(custodyBefore);

  // Accounts: the administrator adds a reviewer.
  await page.getByTestId('open-accounts').click();
  const accounts = page.getByTestId('accounts-dialog');
  await accounts.getByLabel('账户名').last().fill('reviewer01');
  await accounts.getByLabel('显示名称').last().fill('李审阅');
  await accounts.getByLabel('初始密码').fill('reviewer password');
  await accounts.getByRole('combobox').selectOption('reviewer');
  await accounts.getByRole('button', { name: '创建账户' }).click();
  await expect(accounts.getByTestId('accounts-table')).toContainText('reviewer01');
  await saveScreenshot(page, '14-accounts');
  await page.keyboard.press('Escape');

  // A plain browser cannot tell the paths of dropped files: it says so instead of failing silently.
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['x'], 'clip.mp4', { type: 'video/mp4' }));
    return transfer;
  });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.getByTestId('notice')).toContainText('桌面版');
});
