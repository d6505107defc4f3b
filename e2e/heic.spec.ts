import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeic } from '../test/fixtures/heif';
import { expect, openStation, saveScreenshot, test } from './support/webHost';
import { importThroughDialog, setUpFirstAdmin } from './support/stationSteps';

/**
 * HEIC photos and visible derivation failures in Chromium through the web host: an iPhone-shaped
 * HEIC gets its JPEG preview; one above the decoder's pixel limit is listed in the jobs panel with
 * its reason and a retry; and a photo whose pictures went missing is asked for once each, then
 * said to have none (it used to be requested about 40 times a second).
 */

const ADMIN = { name: 'admin', displayName: '王警官', password: 'correct horse battery' };
let cameraDir: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const root = await mkdtemp(join(tmpdir(), 'station-e2e-heic-'));
  cameraDir = join(root, 'DCIM', '100APPLE');
  await mkdir(cameraDir, { recursive: true });
  await writeHeic(join(cameraDir, 'IMG_0002.HEIC'), {
    width: 1280,
    height: 720,
    exif: { '0th': { 271: 'Apple', 272: 'iPhone 15 Pro' }, Exif: { 36867: '2026:03:01 09:30:00', 36881: '+08:00' } },
  });
  await writeHeic(join(cameraDir, 'IMG_0003.HEIC'), { width: 10240, height: 6144, reuseTileFor: true });
});

test.afterAll(async () => {
  if (cameraDir) await rm(join(cameraDir, '..', '..'), { recursive: true, force: true });
});

/** Every file of that name under `dir`. */
async function findFiles(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name === name).map((e) => join(e.parentPath, e.name));
}

test('HEIC preview, the jobs panel with a failure and its retry, and a missing thumbnail asked for once', async ({
  page,
  webHost,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });
  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);
  await importThroughDialog(page, cameraDir, 2);

  // The photo above the limit fails twice (thumbnail, preview); once nothing runs, no spinner.
  const indicator = page.getByTestId('jobs-indicator');
  await expect(indicator).toContainText('2', { timeout: 120_000 });
  await expect(page.getByTestId('jobs-spinner')).toHaveCount(0, { timeout: 120_000 });

  // The good HEIC shows its JPEG preview, not the HEIC the browser cannot show.
  await page.locator('[data-testid="library-card"]', { hasText: 'IMG_0002' }).click();
  const preview = page.getByTestId('preview-photo');
  await expect(preview).toHaveAttribute('data-source', 'play');
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1280);
  await saveScreenshot(page, 'heic-preview');

  await indicator.click();
  const panel = page.getByTestId('jobs-panel');
  await expect(panel.getByTestId('jobs-failure')).toHaveCount(2);
  await expect(panel.getByTestId('jobs-failure-reason').first()).toContainText('10240 × 6144');
  await expect(panel.getByTestId('jobs-failure-reason').first()).toContainText('50');
  await expect(panel.getByTestId('jobs-now')).toHaveText('当前没有任务在运行。');
  await saveScreenshot(page, 'jobs-panel-zh');
  await panel.getByTestId('jobs-retry').first().click();
  await expect(panel.getByTestId('jobs-retried')).toContainText('1');
  // The same photo fails the same way again: still two failures, nothing left running.
  await expect(panel.getByTestId('jobs-failure')).toHaveCount(2, { timeout: 60_000 });
  await expect(page.getByTestId('jobs-spinner')).toHaveCount(0, { timeout: 60_000 });
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);

  // The good photo's pictures go missing from the derived folder (a disk restored without them).
  const derivedDir = join(webHost.dataDir, 'derived');
  for (const file of [
    ...(await findFiles(derivedDir, 'preview.jpg')),
    ...(await findFiles(derivedDir, 'thumbnail.jpg')),
  ]) {
    await rm(file);
  }
  const requests = new Map<string, number>();
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/media/')) requests.set(pathname, (requests.get(pathname) ?? 0) + 1);
  });
  await page.reload();
  await page.locator('[data-testid="library-card"]', { hasText: 'IMG_0002' }).click();
  await expect(page.getByTestId('preview-photo-none')).toBeVisible();
  // With a retry loop the network never goes quiet and this times out.
  await page.waitForLoadState('networkidle');
  const itemId = [...requests.keys()].find((p) => p.endsWith('/play'))?.split('/')[2];
  expect(itemId).toBeTruthy();
  expect(requests.get(`/media/${itemId}/play`)).toBe(1);
  // Once by the library card, once by the preview.
  expect(requests.get(`/media/${itemId}/thumbnail`) ?? 0).toBeLessThanOrEqual(2);
  await saveScreenshot(page, 'heic-missing-pictures');
  expect(errors).toEqual([]);
});
