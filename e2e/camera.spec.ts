import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { appendUdtaToMoov, goProUdta } from '../test/fixtures/cameraMetadata';
import { locateNpmFfmpeg } from '../test/fixtures/generateMedia';
import { importThroughDialog, setUpFirstAdmin } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * The camera a file names, in Chromium: a GoPro clip's model, serial and firmware in the detail
 * pane, and the library's camera filters that find it (an iPhone clip beside it must not match).
 */

const ADMIN = { name: 'admin', displayName: '王警官', password: 'correct horse battery' };
const GOPRO = { firmware: 'HD9.01.01.60.00', serial: 'C3441324567890', model: 'HERO9 Black' };
let cameraRoot: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cameraRoot = await mkdtemp(join(tmpdir(), 'station-e2e-camera-id-'));
  const cameraDir = join(cameraRoot, 'DCIM', '100GOPRO');
  await mkdir(cameraDir, { recursive: true });
  const encode = (extra: string[], out: string) =>
    promisify(execFile)(locateNpmFfmpeg(), [
      ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=1'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', ...extra, join(cameraDir, out)],
    ]);
  await encode([], 'GX010042.MP4');
  await appendUdtaToMoov(join(cameraDir, 'GX010042.MP4'), goProUdta(GOPRO));
  await encode(
    [
      ...['-metadata', 'com.apple.quicktime.make=Apple', '-metadata', 'com.apple.quicktime.model=iPhone 15 Pro'],
      ...['-movflags', 'use_metadata_tags'],
    ],
    'IMG_0042.MOV',
  );
});

test.afterAll(async () => {
  if (cameraRoot) await rm(cameraRoot, { recursive: true, force: true });
});

test('camera model, serial and firmware in the detail pane and the library filters', async ({ page, webHost }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1600, height: 960 });
  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);
  await page.getByTestId('locale-en').click();
  await importThroughDialog(page, cameraRoot, 2);

  const cards = page.getByTestId('library-card');
  await cards.filter({ hasText: 'GX010042.MP4' }).click();
  const detail = page.getByTestId('detail');
  await expect(detail.getByTestId('detail-serial')).toContainText(GOPRO.serial);
  await expect(detail.getByTestId('detail-firmware')).toContainText(GOPRO.firmware);
  await expect(detail.getByTestId('detail-source')).toContainText(GOPRO.model);
  await detail.getByTestId('detail-source').scrollIntoViewIfNeeded();
  await saveScreenshot(page, '40-camera-detail');

  const count = page.getByTestId('library-count');
  await expect(count).toHaveAttribute('data-total', '2');
  await page.getByTestId('filter-camera-serial').selectOption(GOPRO.serial);
  await expect(count).toHaveAttribute('data-total', '1');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('GX010042.MP4');
  await page.getByTestId('filter-clear').click();
  await expect(count).toHaveAttribute('data-total', '2');
  await page.getByTestId('filter-camera-model').selectOption('iPhone 15 Pro');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('IMG_0042.MOV');
  await saveScreenshot(page, '41-camera-filter');

  // Chinese labels for the new fields.
  await page.getByTestId('locale-zh-CN').click();
  await expect(page.getByTestId('filter-panel')).toContainText('相机型号');
  await expect(page.getByTestId('filter-panel')).toContainText('相机序列号');
});
