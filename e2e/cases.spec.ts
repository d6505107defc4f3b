import { copyFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { generateMediaFixtures } from '../test/fixtures/generateMedia';
import { writeCameraCard } from './support/cameraCard';
import { callStation, importThroughDialog, setUpFirstAdmin, signIn } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * Cases and the violation taxonomy through the real web host and Chromium: three recordings and a
 * photo recorded seconds apart, a case with a business and a vehicle plate, evidence added from
 * the library's detail pane (to an existing case and to one made in the dialog), the case's time
 * axis in recorded-time order with lanes, removal with a reason on the case record, the taxonomy
 * edited as admin into version 2 while an existing tag keeps its old name, and the case number
 * format. Screenshots land in e2e/screenshots/cases-*.png.
 */

const ADMIN = { name: 'admin', displayName: '李队长', password: 'correct horse battery' };
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');

/**
 * Recordings as a body-cam writes them: `creation_time` is the camera's wall clock, which the
 * station reads in its own zone, like the photo's EXIF time without offset (09:30:00). So the
 * order below holds whatever zone the machine is in: A, B, photo, C, with B and C overlapping.
 */
const RECORDINGS = [
  { name: 'cam_a.mp4', wall: '2026-03-01T09:29:50' },
  { name: 'cam_b.mp4', wall: '2026-03-01T09:29:59' },
  { name: 'cam_c.mp4', wall: '2026-03-01T09:30:01' },
] as const;
const PHOTO = 'photo_nooffset.jpg';
/** Stand-ins for the clip of cam_a (from 1 s) and the still of cam_b (at 0.5 s) made in the test. */
const CLIP = 'clip of cam_a';
const STILL = 'still of cam_b';
const TIME_ORDER = ['cam_a.mp4', CLIP, 'cam_b.mp4', STILL, PHOTO, 'cam_c.mp4'];

const CASE = {
  title: '淮海中路 18 号门前占道经营',
  place: '淮海中路 18 号',
  business: '老王烧烤店',
  businessDetail: '统一社会信用代码 92310101MA1XXXXX',
  plate: '沪A·12345',
  notes: '群众举报，夜间巡查发现。',
};

let cameraRoot: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  const card = await writeCameraCard('station-e2e-cases-', fixtures.h264, RECORDINGS);
  cameraRoot = card.root;
  const cameraDir = card.dir;
  await copyFile(fixtures.photoNoOffset, join(cameraDir, PHOTO));
});

test.afterAll(async () => {
  if (cameraRoot) await rm(cameraRoot, { recursive: true, force: true });
});

async function addToCaseFromLibrary(page: Page, fileName: string): Promise<Locator> {
  await page.getByTestId('nav-library').click();
  await page.getByTestId('library-card').filter({ hasText: fileName }).click();
  await expect(page.getByTestId('detail-name')).toHaveText(fileName);
  await page.getByTestId('add-to-case').click();
  const dialog = page.getByTestId('add-to-case-dialog');
  await expect(dialog).toBeVisible();
  return dialog;
}

test('cases: create, add evidence, time axis, removal, taxonomy versions, numbering', async ({ page, webHost }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });

  // First run and the import of the "camera".
  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);

  await importThroughDialog(page, join(cameraRoot, 'DCIM'), 4);
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '4');
  const itemIds = new Map<string, string>();
  for (const name of [...RECORDINGS.map((r) => r.name), PHOTO]) {
    const id = await page.getByTestId('library-card').filter({ hasText: name }).getAttribute('data-item-id');
    itemIds.set(name, id!);
  }

  // A range tag on cam_a under taxonomy version 1, through the API (the review workspace has its own e2e).
  const v1 = await callStation<{ version: number; types: { code: string; nameZh: string; nameEn: string }[] }>(
    page,
    'taxonomy.get',
    {},
  );
  expect(v1.version).toBe(1);
  const tagged = v1.types[0]!;
  await callStation(page, 'tags.add', {
    itemId: itemIds.get('cam_a.mp4'),
    code: tagged.code,
    fromSec: 0.5,
    toSec: 2,
    note: '摊位占用人行道',
  });

  // A lossless clip of cam_a (1 s from its keyframe at 1 s) and a still of cam_b at 0.5 s: items of
  // their own whose recorded time is their source's plus the offset into it.
  const clip = await callStation<{ item: { id: string } }>(page, 'clips.create', {
    jobId: 'e2e-cases-clip-1',
    itemId: itemIds.get('cam_a.mp4'),
    fromSec: 1,
    toSec: 2,
    mode: 'lossless',
  });
  const still = await callStation<{ item: { id: string } }>(page, 'stills.create', {
    itemId: itemIds.get('cam_b.mp4'),
    atSec: 0.5,
  });
  itemIds.set(CLIP, clip.item.id);
  itemIds.set(STILL, still.item.id);

  // No cases yet.
  await page.getByTestId('nav-cases').click();
  await expect(page.getByTestId('cases-empty')).toBeVisible();
  await saveScreenshot(page, 'cases-01-empty');

  // A new case with a business and a vehicle plate.
  await page.getByTestId('new-case').click();
  const form = page.getByTestId('case-form-dialog');
  await form.getByTestId('case-field-title').fill(CASE.title);
  await form.getByTestId('case-field-place').fill(CASE.place);
  await form.getByTestId('case-field-occurred').fill('2026-03-01T09:30');
  await form.getByTestId('party-add').click();
  await form.getByTestId('party-add').click();
  const parties = form.getByTestId('party-row');
  await parties.nth(0).getByTestId('party-name').fill(CASE.business);
  await parties.nth(0).getByTestId('party-detail').fill(CASE.businessDetail);
  await parties.nth(1).getByTestId('party-kind').selectOption('vehicle');
  await parties.nth(1).getByTestId('party-name').fill(CASE.plate);
  await form.getByTestId('case-field-notes').fill(CASE.notes);
  await saveScreenshot(page, 'cases-02-new-case');
  await form.getByTestId('case-form-submit').click();

  const caseView = page.getByTestId('case-view');
  await expect(caseView.getByTestId('case-title')).toHaveText(CASE.title);
  const number = (await caseView.getByTestId('case-number').textContent())!;
  expect(number).toMatch(/^ZF-\d{4}-00001$/);
  await expect(caseView.getByTestId('case-state')).toHaveAttribute('data-state', 'draft');
  await expect(caseView.getByTestId('case-party')).toHaveCount(2);
  await expect(caseView.locator('[data-testid="case-party"][data-kind="business"]')).toContainText(CASE.business);
  await expect(caseView.locator('[data-testid="case-party"][data-kind="vehicle"]')).toContainText(CASE.plate);
  await expect(caseView.getByTestId('case-occurred')).toContainText('2026-03-01 09:30:00');
  await expect(caseView.getByTestId('evidence-empty')).toBeVisible();
  const caseId = (await caseView.getAttribute('data-case-id'))!;

  // From the library's detail pane into this existing draft case.
  for (const name of ['cam_a.mp4', PHOTO, 'cam_c.mp4']) {
    const dialog = await addToCaseFromLibrary(page, name);
    await dialog.locator(`[data-testid="add-case-option"][data-case-id="${caseId}"]`).click();
    if (name === 'cam_a.mp4') await saveScreenshot(page, 'cases-03-add-to-case');
    await dialog.getByTestId('add-case-submit').click();
    await expect(dialog.getByTestId('add-case-done')).toContainText(number);
    await expect(dialog.getByTestId('add-case-added')).toContainText(name);
    await dialog.getByRole('button', { name: '关闭' }).first().click();
    await expect(dialog).toBeHidden();
  }

  // cam_b goes into a second case made inside the dialog, then into the first one as well.
  let dialog = await addToCaseFromLibrary(page, 'cam_b.mp4');
  await dialog.getByTestId('add-target-new').click();
  await dialog.getByTestId('add-case-title').fill('沪A·12345 人行道违停');
  await dialog.getByTestId('add-case-submit').click();
  await expect(dialog.getByTestId('add-case-done')).toContainText(/ZF-\d{4}-00002/);
  await saveScreenshot(page, 'cases-04-added-new-case');
  await dialog.getByTestId('add-case-open').click();
  await expect(caseView.getByTestId('case-item-count')).toHaveAttribute('data-count', '1');
  dialog = await addToCaseFromLibrary(page, 'cam_b.mp4');
  await dialog.getByTestId('add-case-search').fill('淮海');
  await expect(dialog.getByTestId('add-case-option')).toHaveCount(1);
  await dialog.getByTestId('add-case-option').click();
  await dialog.getByTestId('add-case-submit').click();
  await expect(dialog.getByTestId('add-case-done')).toContainText(number);
  await dialog.getByTestId('add-case-open').click();
  // The clip and the still join through the API (the review workspace's own button is C1's e2e).
  await callStation(page, 'cases.addItems', { caseId, itemIds: [itemIds.get(CLIP), itemIds.get(STILL)] });

  // The case's time axis: every item by recorded time, B and C in different lanes, the photo a point.
  await expect(caseView).toHaveAttribute('data-case-id', caseId);
  await expect(caseView.getByTestId('case-item-count')).toHaveAttribute('data-count', '6');
  const entries = caseView.getByTestId('timeline-entry');
  await expect(entries).toHaveCount(6);
  const placed = await entries.evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      const el = node as HTMLElement;
      return {
        id: el.dataset.itemId!,
        start: el.dataset.start!,
        lane: Number(el.dataset.lane),
        point: el.dataset.point === 'true',
        left: box.left,
        right: box.right,
        top: box.top,
        bottom: box.bottom,
      };
    }),
  );
  const byLeft = [...placed].sort((a, b) => a.left - b.left);
  expect(byLeft.map((p) => p.id)).toEqual(TIME_ORDER.map((name) => itemIds.get(name)));
  expect([...placed].sort((a, b) => Date.parse(a.start) - Date.parse(b.start)).map((p) => p.id)).toEqual(
    byLeft.map((p) => p.id),
  );
  const at = (name: string) => placed.find((p) => p.id === itemIds.get(name))!;
  expect(at(PHOTO).point).toBe(true);
  expect(at(STILL).point).toBe(true);
  expect(at(CLIP).point).toBe(false);
  expect(at(CLIP).lane).not.toBe(at('cam_a.mp4').lane);
  expect(at('cam_b.mp4').lane).not.toBe(at('cam_c.mp4').lane);
  for (const a of placed) {
    for (const b of placed) {
      if (a === b) continue;
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `${a.id} covers ${b.id}`).toBe(false);
    }
  }
  await expect(caseView.getByTestId('timeline-tick').first()).toBeVisible();
  await expect(caseView.getByTestId('timeline-tag-range')).toHaveCount(1);
  await expect(caseView.getByTestId('timeline-unknown')).toHaveCount(0);
  // The evidence list follows the same order.
  await expect(caseView.getByTestId('evidence-row')).toHaveCount(6);
  expect(
    await caseView
      .getByTestId('evidence-row')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.itemId)),
  ).toEqual(TIME_ORDER.map((name) => itemIds.get(name)));
  const row = (name: string) => caseView.locator(`[data-testid="evidence-row"][data-item-id="${itemIds.get(name)}"]`);
  await expect(row(CLIP).getByTestId('evidence-derivation')).toContainText('无损');
  await expect(row(CLIP).getByTestId('evidence-derivation')).toContainText('0:01.000');
  await expect(row(CLIP).getByTestId('evidence-derivation')).toContainText('cam_a.mp4');
  await expect(row(STILL).getByTestId('evidence-derivation')).toContainText('cam_b.mp4');
  await expect(caseView.locator(`.timeline-clip[data-item-id="${itemIds.get(CLIP)}"]`)).toHaveCount(1);
  const camARow = row('cam_a.mp4');
  await expect(camARow.getByTestId('evidence-tag')).toContainText(tagged.nameZh);
  await caseView.locator(`[data-testid="timeline-entry"][data-item-id="${itemIds.get('cam_b.mp4')}"]`).hover();
  await expect(caseView.getByTestId('timeline-tip')).toContainText('cam_b.mp4');
  await saveScreenshot(page, 'cases-05-case-time-axis');

  // A click on the axis opens the item in review.
  await caseView.locator(`[data-testid="timeline-entry"][data-item-id="${itemIds.get('cam_c.mp4')}"]`).click();
  await expect(page).toHaveURL(new RegExp(`#/review/${itemIds.get('cam_c.mp4')}$`));
  await page.goBack();
  await expect(caseView.getByTestId('timeline-entry')).toHaveCount(6);

  // Removal from the draft case needs a reason, which the case record keeps.
  const reason = '录像拍摄的是隔壁店铺，与本案无关';
  await caseView
    .locator(`[data-testid="evidence-row"][data-item-id="${itemIds.get('cam_c.mp4')}"]`)
    .getByTestId('evidence-remove')
    .click();
  const remove = page.getByTestId('remove-item-dialog');
  await expect(remove.getByTestId('remove-submit')).toBeDisabled();
  await remove.getByTestId('remove-reason').fill(reason);
  await saveScreenshot(page, 'cases-06-remove-reason');
  await remove.getByTestId('remove-submit').click();
  await expect(remove).toBeHidden();
  await expect(caseView.getByTestId('evidence-row')).toHaveCount(5);
  await expect(caseView.getByTestId('timeline-entry')).toHaveCount(5);
  const removal = caseView.locator('[data-testid="case-record-entry"][data-action="case.removeItem"]');
  await expect(removal).toHaveCount(1);
  await expect(removal.getByTestId('case-record-reason')).toContainText(reason);
  await expect(caseView.locator('[data-testid="case-record-entry"][data-action="case.addItem"]')).toHaveCount(6);
  await saveScreenshot(page, 'cases-07-after-removal');

  // Editing the draft's fields in place.
  await caseView.getByTestId('case-edit').click();
  const edit = caseView.getByTestId('case-edit-form');
  await edit.getByTestId('case-field-place').fill(`${CASE.place}（近瑞金二路）`);
  await edit.getByTestId('case-edit-save').click();
  await expect(caseView.getByTestId('case-place')).toContainText('近瑞金二路');
  await expect(caseView.locator('[data-testid="case-record-entry"][data-action="case.update"]')).toHaveCount(1);

  // The list of cases: search and state filter.
  await page.getByTestId('case-back').click();
  await expect(page.getByTestId('case-row')).toHaveCount(2);
  await page.getByTestId('cases-search').fill('淮海');
  await expect(page.getByTestId('case-row')).toHaveCount(1);
  await page.getByTestId('cases-search').fill('');
  await page.getByTestId('cases-state').selectOption('sealed');
  await expect(page.getByTestId('cases-no-match')).toBeVisible();
  await page.getByTestId('cases-state').selectOption('');
  await expect(page.getByTestId('case-row')).toHaveCount(2);
  await saveScreenshot(page, 'cases-08-list');

  // The taxonomy as admin: rename the tagged type, add one, retire one, with a note → version 2.
  await page.getByTestId('nav-taxonomy').click();
  const editor = page.getByTestId('taxonomy-editor');
  await expect(editor.getByTestId('taxonomy-version')).toHaveAttribute('data-version', '1');
  const renamed = editor.locator(`[data-testid="taxonomy-row"][data-code="${tagged.code}"]`);
  await renamed.getByTestId('taxonomy-name-zh').fill('占道经营（含流动摊贩）');
  await renamed.getByTestId('taxonomy-name-en').fill('Street vending, mobile stalls included');
  const retired = v1.types[v1.types.length - 1]!;
  await editor
    .locator(`[data-testid="taxonomy-row"][data-code="${retired.code}"]`)
    .getByTestId('taxonomy-retire')
    .click();
  await editor.getByTestId('taxonomy-add').click();
  const added = editor.locator('[data-testid="taxonomy-row"][data-new="true"]');
  await added.getByTestId('taxonomy-code').fill('night-market-noise');
  await added.getByTestId('taxonomy-name-zh').fill('夜市噪声扰民');
  await added.getByTestId('taxonomy-name-en').fill('Night market noise');
  await added.getByTestId('taxonomy-basis').fill('《中华人民共和国噪声污染防治法》（待填条款）');
  await expect(editor.getByTestId('taxonomy-changes')).toHaveAttribute('data-count', '3');
  // Saving without a note is refused by the form.
  await editor.getByTestId('taxonomy-save').click();
  await expect(editor.getByTestId('taxonomy-problems')).toBeVisible();
  await editor
    .getByTestId('taxonomy-note')
    .fill('按 2026 年市容管理规定调整：扩充占道经营，新增夜市噪声，停用过时类型');
  await saveScreenshot(page, 'cases-09-taxonomy-editing');
  await editor.getByTestId('taxonomy-save').click();
  await expect(editor.getByTestId('taxonomy-version')).toHaveAttribute('data-version', '2');
  await expect(editor.getByTestId('taxonomy-saved')).toBeVisible();
  await expect(editor.getByTestId('taxonomy-version-entry')).toHaveCount(2);
  await expect(editor.locator(`[data-testid="taxonomy-row"][data-code="${retired.code}"]`)).toHaveAttribute(
    'data-retired',
    'true',
  );
  await saveScreenshot(page, 'cases-10-taxonomy-v2');

  // Version 1 opens read only, with the old name.
  await editor.locator('[data-testid="taxonomy-version-entry"][data-version="1"]').click();
  const old = page.getByTestId('taxonomy-version-dialog');
  await expect(
    old.locator(`[data-testid="taxonomy-row"][data-code="${tagged.code}"]`).getByTestId('taxonomy-name-zh'),
  ).toHaveText(tagged.nameZh);
  await saveScreenshot(page, 'cases-11-taxonomy-v1');
  await page.keyboard.press('Escape');

  // The tag made under version 1 still reads as it was meant.
  await page.goto(`${webHost.baseURL}/#/cases/${caseId}`);
  await expect(camARow.getByTestId('evidence-tag')).toContainText(tagged.nameZh);
  await expect(camARow.getByTestId('evidence-tag')).not.toContainText('流动摊贩');

  // Case numbers: a new format with its live preview; a format without {SEQ} cannot be saved.
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('open-numbering').click();
  const numbering = page.getByTestId('numbering-dialog');
  await numbering.getByTestId('numbering-format').fill('CG-{YYYY}');
  await expect(numbering.getByTestId('numbering-problem')).toBeVisible();
  await expect(numbering.getByTestId('numbering-save')).toBeDisabled();
  await numbering.getByTestId('numbering-format').fill('CG-{STATION}-{YYYY}{MM}-{SEQ:3}');
  await expect(numbering.getByTestId('numbering-preview')).toHaveText(/^CG-.+-\d{6}-001$/);
  await saveScreenshot(page, 'cases-12-numbering');
  await numbering.getByTestId('numbering-save').click();
  await expect(numbering.getByTestId('numbering-saved')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('new-case').click();
  await form.getByTestId('case-field-title').fill('编号格式检查');
  await form.getByTestId('case-form-submit').click();
  await expect(caseView.getByTestId('case-number')).toHaveText(/^CG-.+-\d{6}-001$/);

  // English labels for the same case page.
  await page.goto(`${webHost.baseURL}/#/cases/${caseId}`);
  await page.getByTestId('locale-en').click();
  await expect(caseView.getByTestId('case-item-count')).toHaveText('5 items');
  await expect(camARow.getByTestId('evidence-tag')).toContainText(tagged.nameEn);
  await saveScreenshot(page, 'cases-13-english');

  // A reviewer reads the catalogue but cannot change it, and has no say in case numbers.
  const reviewer = { name: 'reviewer1', password: 'another long password' };
  await callStation(page, 'accounts.create', { ...reviewer, displayName: '张三', role: 'reviewer' });
  await page.getByTestId('sign-out').click();
  await signIn(page, reviewer);
  await expect(page.getByTestId('nav-taxonomy')).toHaveCount(0);
  await page.goto(`${webHost.baseURL}/#/taxonomy`);
  await expect(editor).toHaveAttribute('data-admin', 'false');
  await expect(editor.getByTestId('taxonomy-version')).toHaveAttribute('data-version', '2');
  await expect(editor.getByTestId('taxonomy-save-bar')).toHaveCount(0);
  await expect(editor.locator('input[data-testid="taxonomy-name-zh"]')).toHaveCount(0);
  await expect(renamed.getByTestId('taxonomy-name-zh')).toHaveText('占道经营（含流动摊贩）');
  await saveScreenshot(page, 'cases-14-taxonomy-reviewer');
  await page.getByTestId('nav-cases').click();
  await expect(page.getByTestId('case-row')).toHaveCount(3);
  await expect(page.getByTestId('open-numbering')).toHaveCount(0);

  expect(errors).toEqual([]);
});
