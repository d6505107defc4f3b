import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { generateMediaFixtures } from '../test/fixtures/generateMedia';
import { writeCameraCard } from './support/cameraCard';
import { callStation, importThroughDialog, setUpFirstAdmin } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * The case time axis as an officer preparing a case meets it: three recordings of one evening
 * and night, and one from a camera whose clock was wrong by more than a year, so the fitted axis
 * spans months. It opens fitted to the evidence (month ticks, bars still visible), zooms in with
 * ctrl+wheel over the evening's recordings until clock times and bar names show, zooms with the
 * buttons and keys, pans by dragging, fits again, opens an item from its bar, and reads the same
 * in Chinese. The library's date filters type and show YYYY-MM-DD. Screenshots land in
 * e2e/screenshots/case-axis-*.png.
 */

const ADMIN = { name: 'admin', displayName: '李队长', password: 'correct horse battery' };
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');

/** Camera wall clocks (read in the station's zone); the last camera's clock was never set right. */
const RECORDINGS = [
  { name: 'evening_a.mp4', wall: '2026-03-01T21:40:00' },
  { name: 'evening_b.mp4', wall: '2026-03-01T21:40:02' },
  { name: 'night_c.mp4', wall: '2026-03-02T01:15:30' },
  { name: 'wrong_clock.mp4', wall: '2024-11-05T10:00:00' },
] as const;

let cameraRoot: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  const card = await writeCameraCard('station-e2e-axis-', fixtures.h264, RECORDINGS);
  cameraRoot = card.root;
});

test.afterAll(async () => {
  if (cameraRoot) await rm(cameraRoot, { recursive: true, force: true });
});

interface ViewAttrs {
  start: number;
  end: number;
  fitted: boolean;
  scale: string;
}

async function viewOf(axis: Locator): Promise<ViewAttrs> {
  return axis.evaluate((node) => {
    const el = node as HTMLElement;
    return {
      start: Date.parse(el.dataset.viewStart!),
      end: Date.parse(el.dataset.viewEnd!),
      fitted: el.dataset.fitted === 'true',
      scale: el.dataset.scale!,
    };
  });
}

/**
 * Ctrl+wheel over a bar, as an officer does it: aim at the bar, one notch, aim again (at the fitted
 * scale a pixel is hours, so one aim cannot hold all the way down), until the view spans at most
 * `spanMs`. Each notch must narrow the view.
 */
async function zoomOnto(page: Page, axis: Locator, bar: Locator, spanMs: number): Promise<void> {
  const span = async () => {
    const view = await viewOf(axis);
    return view.end - view.start;
  };
  await page.keyboard.down('Control');
  for (let notch = 0; notch < 60 && (await span()) > spanMs; notch += 1) {
    const before = await span();
    const box = (await bar.boundingBox())!;
    // Near the bar's start: a narrow bar is drawn wider than its recording, and its start is its time.
    await page.mouse.move(box.x + Math.min(box.width / 2, 1), box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await expect.poll(span).toBeLessThan(before);
  }
  await page.keyboard.up('Control');
  expect(await span()).toBeLessThanOrEqual(spanMs);
}

/** A drag on the axis' tick row from `fromX` (page pixels) to `toShare` of the axis' width. */
async function dragOnAxis(page: Page, axis: Locator, fromX: number, toShare: number): Promise<void> {
  const box = (await axis.boundingBox())!;
  await page.mouse.move(fromX, box.y + 12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * toShare, box.y + 12, { steps: 6 });
  await page.mouse.up();
}

async function barBoxes(caseView: Locator) {
  return caseView.getByTestId('timeline-entry').evaluateAll((nodes) =>
    nodes.map((node) => {
      const box = node.getBoundingClientRect();
      return { id: (node as HTMLElement).dataset.itemId!, left: box.left, width: box.width, top: box.top };
    }),
  );
}

test('case time axis: fitted to the evidence, zoom, pan, fit again, labels in both languages', async ({
  page,
  webHost,
}) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });

  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);
  await page.getByTestId('locale-en').click();
  await importThroughDialog(page, join(cameraRoot, 'DCIM'), RECORDINGS.length);
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(RECORDINGS.length));
  const itemIds = new Map<string, string>();
  for (const { name } of RECORDINGS) {
    const id = await page.getByTestId('library-card').filter({ hasText: name }).getAttribute('data-item-id');
    itemIds.set(name, id!);
  }

  // The library's date filters: typed and shown as YYYY-MM-DD, from and to both included.
  const filters = page.getByTestId('filter-panel');
  const from = filters.getByTestId('filter-from');
  const to = filters.getByTestId('filter-to');
  await expect(from).toHaveAttribute('placeholder', 'YYYY-MM-DD');
  expect(await from.getAttribute('type')).not.toBe('date');
  await from.fill('2026-03');
  await expect(filters.getByTestId('field-error')).toHaveCount(1);
  await expect(filters.getByTestId('field-error')).toContainText('YYYY-MM-DD');
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(RECORDINGS.length));
  await from.fill('2026-03-01');
  await to.fill('2026-3-1');
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '2');
  await saveScreenshot(page, 'case-axis-01-library-date-filter');
  await to.fill('2026-03-02');
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', '3');
  await from.fill('');
  await to.fill('');
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(RECORDINGS.length));

  // A case holding all four.
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('new-case').click();
  const form = page.getByTestId('case-form-dialog');
  await form.getByTestId('case-field-title').fill('Night market, Huaihai Road');
  await form.getByTestId('case-form-submit').click();
  const caseView = page.getByTestId('case-view');
  await expect(caseView.getByTestId('case-title')).toHaveText('Night market, Huaihai Road');
  const caseId = (await caseView.getAttribute('data-case-id'))!;
  await callStation(page, 'cases.addItems', { caseId, itemIds: [...itemIds.values()] });
  await expect(caseView.getByTestId('case-item-count')).toHaveAttribute('data-count', String(RECORDINGS.length));

  // Fitted: from the earliest start to the latest end with a small margin, never an epoch.
  const axis = caseView.getByTestId('timeline-axis');
  const entries = caseView.getByTestId('timeline-entry');
  await expect(entries).toHaveCount(RECORDINGS.length);
  const starts = await entries.evaluateAll((nodes) => nodes.map((n) => Date.parse((n as HTMLElement).dataset.start!)));
  const earliest = Math.min(...starts);
  const latestEnd = Math.max(...starts) + 3_000;
  const fitted = await viewOf(axis);
  expect(fitted.fitted).toBe(true);
  expect(fitted.start).toBeLessThan(earliest);
  expect(fitted.end).toBeGreaterThan(latestEnd);
  expect(fitted.end - fitted.start).toBeLessThan((latestEnd - earliest) * 1.2);
  expect(fitted.scale).toMatch(/month/);
  expect(await caseView.getByTestId('timeline-tick-label').count()).toBeGreaterThanOrEqual(4);
  await expect(caseView.getByTestId('timeline-tick-context').first()).toHaveText(/^20\d\d$/);
  for (const bar of await barBoxes(caseView)) expect(bar.width, bar.id).toBeGreaterThanOrEqual(6);
  await expect(caseView.getByTestId('timeline-zoom-out')).toBeDisabled();
  await expect(caseView.getByTestId('timeline-fit')).toBeDisabled();
  await expect(caseView.getByTestId('timeline-unknown')).toHaveCount(0);
  await saveScreenshot(page, 'case-axis-02-fitted');
  // The English top bar, with its longer labels and the jobs indicator, fits the window: the
  // page never scrolls sideways (it did at 1600 px).
  const width = page.viewportSize()?.width ?? 0;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

  // Ctrl+wheel over the evening's recordings zooms around them.
  const evening = caseView.locator(`[data-testid="timeline-entry"][data-item-id="${itemIds.get('evening_a.mp4')}"]`);
  await zoomOnto(page, axis, evening, 20_000);
  // Zoomed around the pointer, the bar stays where it was (near the right end): drag it to the middle.
  await dragOnAxis(page, axis, (await evening.boundingBox())!.x, 0.45);
  const zoomed = await viewOf(axis);
  expect(zoomed.fitted).toBe(false);
  const eveningStart = Date.parse((await evening.getAttribute('data-start'))!);
  expect(zoomed.start).toBeLessThan(eveningStart);
  expect(zoomed.end).toBeGreaterThan(eveningStart);
  expect(zoomed.scale).toMatch(/second|minute/);
  await expect(evening).toBeVisible();
  await expect(evening.getByTestId('timeline-bar-label')).toHaveText('evening_a.mp4');
  // The zoomed view says what it leaves out: the wrong-clock recording before, the night's after.
  await expect(caseView.getByTestId('timeline-outside')).toHaveAttribute('data-before', '1');
  await expect(caseView.getByTestId('timeline-outside')).toHaveAttribute('data-after', '1');
  await expect(
    caseView.locator(`[data-testid="timeline-entry"][data-item-id="${itemIds.get('wrong_clock.mp4')}"]`),
  ).toHaveCount(0);
  for (const label of await caseView.getByTestId('timeline-tick-label').allTextContents()) {
    expect(label).toMatch(/^\d{2}:\d{2}(:\d{2})?$/);
  }
  await expect(caseView.getByTestId('timeline-tick-context').first()).toHaveText(/^\w{3} \d{1,2} \w{3} 20\d\d$/);
  const eveningA = (await barBoxes(caseView)).find((b) => b.id === itemIds.get('evening_a.mp4'))!;
  const eveningB = (await barBoxes(caseView)).find((b) => b.id === itemIds.get('evening_b.mp4'))!;
  expect(eveningA.width).toBeGreaterThan(40);
  expect(eveningA.top).not.toBe(eveningB.top);
  await evening.hover();
  await expect(caseView.getByTestId('timeline-tip')).toContainText('evening_a.mp4');
  await saveScreenshot(page, 'case-axis-03-zoomed-in');

  // The buttons and keys: one step out and back in, bounded at the finest zoom.
  const beforeOut = await viewOf(axis);
  await caseView.getByTestId('timeline-zoom-out').click();
  const out = await viewOf(axis);
  expect(out.end - out.start).toBeCloseTo((beforeOut.end - beforeOut.start) * 2, -1);
  await axis.focus();
  await page.keyboard.press('+');
  const back = await viewOf(axis);
  expect(back.end - back.start).toBeCloseTo(beforeOut.end - beforeOut.start, -1);
  for (let i = 0; i < 12; i += 1) await page.keyboard.press('+');
  const finest = await viewOf(axis);
  const axisWidth = (await axis.boundingBox())!.width;
  // One second per 100 px at the finest.
  expect((finest.end - finest.start) / axisWidth).toBeGreaterThanOrEqual(9.5);
  await expect(caseView.getByTestId('timeline-zoom-in')).toBeDisabled();
  await page.keyboard.press('-');
  await page.keyboard.press('-');

  // Pan: a drag to the left moves later in time; the arrow keys move too.
  const beforeDrag = await viewOf(axis);
  const axisBox = (await axis.boundingBox())!;
  await dragOnAxis(page, axis, axisBox.x + axisBox.width * 0.7, 0.5);
  const dragged = await viewOf(axis);
  expect(dragged.start).toBeGreaterThan(beforeDrag.start);
  expect(dragged.end - dragged.start).toBeCloseTo(beforeDrag.end - beforeDrag.start, -1);
  await axis.focus();
  await page.keyboard.press('ArrowLeft');
  expect((await viewOf(axis)).start).toBeLessThan(dragged.start);

  // Fit to evidence returns to the first view.
  await caseView.getByTestId('timeline-fit').click();
  const refitted = await viewOf(axis);
  expect(refitted).toEqual(fitted);
  await expect(caseView.getByTestId('timeline-fit')).toBeDisabled();

  // In Chinese, zoomed to the night's evidence with the keys: 0 fits, + zooms.
  await page.getByTestId('locale-zh-CN').click();
  await expect(caseView.getByTestId('timeline-fit')).toHaveText('适配全部证据');
  await expect(caseView.getByTestId('timeline-tick-context').first()).toHaveText(/^20\d\d年$/);
  const night = caseView.locator(`[data-testid="timeline-entry"][data-item-id="${itemIds.get('night_c.mp4')}"]`);
  await zoomOnto(page, axis, night, 30 * 60_000);
  await dragOnAxis(page, axis, (await night.boundingBox())!.x, 0.6);
  await expect(night).toBeVisible();
  await expect(caseView.getByTestId('timeline-tick-context').first()).toHaveText(/^20\d\d年\d{1,2}月\d{1,2}日 周./);
  await saveScreenshot(page, 'case-axis-04-zh-CN');

  // A click on a bar opens the item in review, as the evidence list does.
  await night.click();
  await expect(page).toHaveURL(new RegExp(`#/review/${itemIds.get('night_c.mp4')}$`));
  await page.goBack();
  await expect(caseView.getByTestId('timeline-entry')).toHaveCount(RECORDINGS.length);

  expect(errors).toEqual([]);
});
