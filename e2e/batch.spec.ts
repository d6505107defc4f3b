import { copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { generateMediaFixtures } from '../test/fixtures/generateMedia';
import { writeCameraCard } from './support/cameraCard';
import { useCjkFont } from './support/cjkFont';
import { callStation, importThroughDialog, setUpFirstAdmin } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * Batch work in the library through the real web host and Chromium (issue 11, section 3): four
 * recordings, a photo and a clip cut from a tagged range; multi-select with click, Shift+click,
 * Ctrl+click, the arrow keys, Shift+arrows, Enter and Ctrl+A in the list; add to the only draft
 * case (preselected) with the recording's clip and its source tag offered; tag a selection with
 * per-item outcomes; correct a whole import's camera clock; filter by origin, violation type and
 * case, the selection and detail pane following the filter. Screenshots in zh-CN and English land
 * in e2e/screenshots/batch-*.png.
 */

const ADMIN = { name: 'admin', displayName: '李队长', password: 'correct horse battery' };
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');
const RECORDINGS = [
  { name: 'cam_a.mp4', wall: '2026-03-01T09:29:50' },
  { name: 'cam_b.mp4', wall: '2026-03-01T09:29:59' },
  { name: 'cam_c.mp4', wall: '2026-03-01T09:30:01' },
  { name: 'cam_d.mp4', wall: '2026-03-01T09:30:20' },
] as const;
const PHOTO = 'photo_nooffset.jpg';

let cameraRoot: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  const card = await writeCameraCard('station-e2e-batch-', fixtures.h264, RECORDINGS);
  cameraRoot = card.root;
  const cameraDir = card.dir;
  await copyFile(fixtures.photoNoOffset, join(cameraDir, PHOTO));
});

test.afterAll(async () => {
  if (cameraRoot) await rm(cameraRoot, { recursive: true, force: true });
});

const rows = (page: Page): Locator => page.getByTestId('library-row');
const row = (page: Page, name: string): Locator => rows(page).filter({ hasText: name });
const batchCount = (page: Page): Locator => page.getByTestId('batch-bar');

async function selectedNames(page: Page): Promise<string[]> {
  const selected = page.locator('[data-testid="library-row"][aria-selected="true"]');
  return (await selected.allInnerTexts())
    .map((text) =>
      text
        .split('\n')
        .find((line) => line.trim())!
        .trim(),
    )
    .sort();
}

test('batch: multi-select, add to case with clips, tag, clock correction, filters', async ({ page, webHost }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });
  await useCjkFont(page);

  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);
  await importThroughDialog(page, join(cameraRoot, 'DCIM'), RECORDINGS.length + 1);
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(RECORDINGS.length + 1));

  // A ranged tag on cam_a and a clip cut inside it; one draft case.
  const camA = await page.getByTestId('library-card').filter({ hasText: 'cam_a.mp4' }).getAttribute('data-item-id');
  const types = await callStation<{ types: { code: string; nameZh: string; nameEn: string }[] }>(
    page,
    'taxonomy.get',
    {},
  );
  const ranged = types.types[0]!;
  const tagged = types.types[1]!;
  await callStation(page, 'tags.add', { itemId: camA, code: ranged.code, fromSec: 0.5, toSec: 2.5, note: '' });
  await callStation(page, 'clips.create', {
    jobId: 'e2e-batch-clip-1',
    itemId: camA,
    fromSec: 1,
    toSec: 2,
    mode: 'exact',
  });
  const draft = await callStation<{ id: string; number: string }>(page, 'cases.create', { title: '夜市占道经营' });
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(RECORDINGS.length + 2));

  // The list, with the clip's badge.
  await page.getByTestId('view-list').click();
  await expect(rows(page)).toHaveCount(RECORDINGS.length + 2);
  const clipRow = page.locator('[data-testid="library-row"][data-origin="clip"]');
  await expect(clipRow.getByTestId('origin-badge')).toBeVisible();

  // Click, Shift+click, Ctrl+click.
  const all = await rows(page).allInnerTexts();
  expect(all).toHaveLength(6);
  await rows(page).nth(0).click();
  await expect(batchCount(page)).toHaveAttribute('data-count', '1');
  await rows(page)
    .nth(2)
    .click({ modifiers: ['Shift'] });
  await expect(batchCount(page)).toHaveAttribute('data-count', '3');
  await rows(page)
    .nth(4)
    .click({ modifiers: ['Control'] });
  await expect(batchCount(page)).toHaveAttribute('data-count', '4');
  await rows(page)
    .nth(1)
    .click({ modifiers: ['Control'] });
  await expect(batchCount(page)).toHaveAttribute('data-count', '3');
  await expect(rows(page).nth(1)).toHaveAttribute('aria-selected', 'false');
  await saveScreenshot(page, 'batch-01-multiselect-zh');

  // Keyboard: arrows move, Shift+arrows extend, Ctrl+A selects all, Enter opens.
  await rows(page).nth(0).click();
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+ArrowDown');
  await expect(batchCount(page)).toHaveAttribute('data-count', '3');
  await page.keyboard.press('ArrowDown');
  await expect(batchCount(page)).toHaveAttribute('data-count', '1');
  await expect(rows(page).nth(3)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('detail-pane')).toHaveAttribute(
    'data-item-id',
    (await rows(page).nth(3).getAttribute('data-item-id'))!,
  );
  await page.keyboard.press('Control+a');
  await expect(batchCount(page)).toHaveAttribute('data-count', '6');
  await page.keyboard.press('ArrowUp');
  await expect(batchCount(page)).toHaveAttribute('data-count', '1');
  const opened = (await rows(page).nth(2).getAttribute('data-item-id'))!;
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#/review/${opened}`));
  await page.getByTestId('nav-library').click();
  // The selection was kept while the review was open.
  await expect(batchCount(page)).toHaveAttribute('data-count', '1');
  await page.getByTestId('view-list').click();
  await expect(rows(page)).toHaveCount(6);
  await expect(rows(page).nth(2)).toHaveAttribute('aria-selected', 'true');

  // Add cam_a to the only draft case, which is preselected, with its clip and the clip's source tag.
  await row(page, 'cam_a.mp4').click();
  await page.getByTestId('batch-add-to-case').click();
  const addDialog = page.getByTestId('add-to-case-dialog');
  await expect(addDialog.getByTestId('add-case-only-draft')).toBeVisible();
  await expect(addDialog.locator(`[data-testid="add-case-option"][data-case-id="${draft.id}"] input`)).toBeChecked();
  const offer = addDialog.getByTestId('add-case-derived-option');
  await expect(offer).toHaveCount(1);
  await expect(offer.locator('input')).not.toBeChecked();
  await offer.locator('input').check();
  await addDialog.getByTestId('add-case-carry-tag').locator('input').check();
  await saveScreenshot(page, 'batch-02-add-to-case-zh');
  await addDialog.getByTestId('add-case-submit').click();
  await expect(addDialog.getByTestId('add-case-done')).toBeVisible();
  await expect(addDialog.getByTestId('add-case-added').locator('li')).toHaveCount(2);
  await addDialog.getByRole('button', { name: '关闭' }).last().click();
  const clipId = (await clipRow.getAttribute('data-item-id'))!;
  const clipTags = await callStation<{ code: string; fromSec: number | null }[]>(page, 'tags.list', { itemId: clipId });
  expect(clipTags).toEqual([expect.objectContaining({ code: ranged.code, fromSec: null })]);

  // Tag three items; then again over two of them and one more: per-item outcomes.
  await row(page, 'cam_b.mp4').click();
  await row(page, 'cam_c.mp4').click({ modifiers: ['Control'] });
  await row(page, PHOTO).click({ modifiers: ['Control'] });
  await page.getByTestId('batch-tag').click();
  let tagDialog = page.getByTestId('batch-tag-dialog');
  await tagDialog.getByTestId('batch-tag-type').selectOption(tagged.code);
  await tagDialog.getByTestId('batch-tag-submit').click();
  await expect(tagDialog.locator('[data-testid="batch-outcome"][data-outcome="done"]')).toHaveCount(3);
  await tagDialog.getByTestId('batch-close').click();
  await row(page, 'cam_d.mp4').click({ modifiers: ['Control'] });
  await row(page, 'cam_b.mp4').click({ modifiers: ['Control'] });
  await page.getByTestId('batch-tag').click();
  tagDialog = page.getByTestId('batch-tag-dialog');
  await tagDialog.getByTestId('batch-tag-type').selectOption(tagged.code);
  await tagDialog.getByTestId('batch-tag-submit').click();
  await expect(tagDialog.locator('[data-testid="batch-outcome"][data-outcome="alreadyTagged"]')).toHaveCount(2);
  await expect(tagDialog.locator('[data-testid="batch-outcome"][data-outcome="done"]')).toHaveCount(1);
  await saveScreenshot(page, 'batch-03-tag-outcomes-zh');
  await tagDialog.getByTestId('batch-close').click();

  // The camera ran 3 min 12 s fast, set to +08:00: the whole import, logged per item.
  await row(page, 'cam_a.mp4').click();
  await page.getByTestId('batch-time').click();
  const timeDialog = page.getByTestId('batch-time-dialog');
  await timeDialog.getByTestId('batch-time-scope').selectOption('import');
  await timeDialog.getByTestId('batch-time-direction').selectOption('fast');
  await timeDialog.getByTestId('batch-time-minutes').fill('3');
  await timeDialog.getByTestId('batch-time-seconds').fill('12');
  await timeDialog.getByTestId('batch-time-zone').selectOption('+08:00');
  await timeDialog.getByTestId('batch-time-reason').fill('与工作站时钟比对，快 3 分 12 秒');
  await saveScreenshot(page, 'batch-04-time-form-zh');
  await timeDialog.getByTestId('batch-time-submit').click();
  await expect(timeDialog.locator('[data-testid="batch-outcome"][data-outcome="done"]')).toHaveCount(5);
  await saveScreenshot(page, 'batch-05-time-outcomes-zh');
  await timeDialog.getByTestId('batch-close').click();
  const corrected = await callStation<{ recordedAt: string; originalRecordedAt: string; recordedAtSource: string }>(
    page,
    'items.get',
    { id: camA },
  );
  expect(corrected.recordedAtSource).toBe('correction');
  expect(Date.parse(corrected.originalRecordedAt) - Date.parse(corrected.recordedAt)).not.toBe(0);
  expect(corrected.recordedAt.endsWith('+08:00')).toBe(true);

  // Filters: the selection and the detail pane follow them.
  await row(page, 'cam_b.mp4').click();
  await page.keyboard.press('Control+a');
  await expect(batchCount(page)).toHaveAttribute('data-count', '6');
  await page.getByTestId('filter-origin').selectOption('clip');
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '1');
  await expect(batchCount(page)).toHaveAttribute('data-count', '1');
  await expect(page.getByTestId('detail-pane')).not.toHaveAttribute('data-item-id', /./);
  await page.getByTestId('filter-origin').selectOption('');
  await page.getByTestId('filter-case').selectOption(draft.id);
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '2');
  // The clip is in the case, so it stays selected.
  await expect(batchCount(page)).toHaveAttribute('data-count', '1');
  expect(await selectedNames(page)).toHaveLength(1);
  await saveScreenshot(page, 'batch-06-filter-case-zh');
  await page.getByTestId('filter-case').selectOption('');
  // The clip carries the other type: it leaves the list, and the selection with it.
  await page.getByTestId('filter-violation').selectOption(tagged.code);
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '4');
  await expect(page.getByTestId('batch-bar')).toBeHidden();
  await page.getByTestId('filter-violation').selectOption('');

  // The same screens in English.
  await page.getByTestId('locale-en').click();
  await rows(page).nth(0).click();
  await rows(page)
    .nth(3)
    .click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('batch-count')).toHaveText('4 selected');
  await saveScreenshot(page, 'batch-07-multiselect-en');
  await page.getByTestId('batch-time').click();
  await saveScreenshot(page, 'batch-08-time-form-en');
  await page.keyboard.press('Escape');
  await page.getByTestId('filter-origin').selectOption('clip');
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '1');
  await saveScreenshot(page, 'batch-09-filter-clip-en');

  expect(errors).toEqual([]);
});
