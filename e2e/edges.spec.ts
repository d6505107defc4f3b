import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateMediaFixtures } from '../test/fixtures/generateMedia';
import { importThroughDialog, setUpFirstAdmin, signIn } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * The rough edges a first trial found (issue 11 §4), each tried again in Chromium through the
 * real web host. One station for the file, so the steps run in order. This machine has no CJK
 * font of its own: the Chinese in the screenshots is the station's bundled font, nothing else.
 * Screenshots land in e2e/screenshots/edges-*.png.
 */

const ADMIN = { name: 'admin', displayName: '王管理', password: 'correct horse battery' };
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');

let cameraRoot: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  cameraRoot = await mkdtemp(join(tmpdir(), 'station-e2e-edges-'));
  await mkdir(join(cameraRoot, 'DCIM'), { recursive: true });
  await copyFile(fixtures.review, join(cameraRoot, 'DCIM', 'review.mp4'));
  await copyFile(fixtures.photoGps, join(cameraRoot, 'DCIM', 'photo.jpg'));
});

test.afterAll(async () => {
  if (cameraRoot) await rm(cameraRoot, { recursive: true, force: true });
});

test('the first-run language stays after setup, and Chinese renders in the bundled font', async ({ page, webHost }) => {
  await openStation(page, webHost);
  // The station's default is Chinese; the person setting it up chooses English.
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('setup-screen').getByTestId('locale-en').click();
  await setUpFirstAdmin(page, ADMIN);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('top-bar')).toContainText('Library');

  await page.getByTestId('top-bar').getByTestId('locale-zh-CN').click();
  await expect(page.getByTestId('top-bar')).toContainText('证据库');
  // The face is in the page's CSS and its file loads: the glyphs on screen are the station's own.
  const loaded = await page.evaluate(async () => {
    await document.fonts.ready;
    await document.fonts.load('16px "Station Noto Sans SC"', '证据库');
    return [...document.fonts].filter((f) => f.family.includes('Station Noto Sans SC')).map((f) => f.status);
  });
  expect(loaded).toContain('loaded');
  await saveScreenshot(page, 'edges-zh-CN-font');
});

test('field messages: an account name with a space, and a wrong password on the lock screen', async ({
  page,
  webHost,
}) => {
  await openStation(page, webHost);
  await signIn(page, ADMIN);
  await page.getByTestId('locale-en').first().click();

  await page.getByTestId('open-accounts').click();
  const dialog = page.getByTestId('accounts-dialog');
  const name = dialog.getByTestId('new-account-name');
  await name.fill('li wei');
  // Said on the field, in words that say what is allowed, before anything is sent.
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByTestId('field-error')).toHaveText(
    'An account name holds only letters, digits, dot (.), dash (-) and underscore (_): no spaces or other signs.',
  );
  await dialog.getByRole('button', { name: 'Create account' }).click();
  await expect(dialog.getByTestId('error-banner')).toHaveCount(0);
  await expect(dialog.getByTestId('account-row-li wei')).toHaveCount(0);
  await name.fill('li.wei');
  await expect(dialog.getByTestId('field-error')).toHaveCount(0);
  await page.keyboard.press('Escape');

  await page.getByTestId('lock').click();
  const lock = page.getByTestId('lock-screen');
  await lock.getByTestId('unlock-password').fill('not the password');
  await lock.getByTestId('unlock-submit').click();
  // The lock screen has no account name field: the message names the account and the password only.
  await expect(lock.getByTestId('field-error')).toHaveText(
    `Wrong password for ${ADMIN.displayName}. Try again, or switch user.`,
  );
  await expect(lock.getByTestId('error-banner')).toHaveCount(0);
  await saveScreenshot(page, 'edges-lock-wrong-password');
  await lock.getByTestId('unlock-password').fill(ADMIN.password);
  await lock.getByTestId('unlock-submit').click();
  await expect(page.getByTestId('lock-screen')).toHaveCount(0);
});
