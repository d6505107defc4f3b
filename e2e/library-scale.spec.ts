import { loadavg } from 'node:os';
import type { Locator, Page, TestInfo } from '@playwright/test';
import { readLibraryPage } from '../test/support/readLibraryPage';
import type { SeededLibrary } from '../test/support/seedLibrary';
import { seedStation } from './support/seedStation';
import { PASSWORD_STEP_TIMEOUT_MS } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test, type WebHostInfo } from './support/webHost';

/**
 * The library UI at 100,000 items, through the real web host and Chromium: the station is seeded
 * before the host opens it, then the grid and the list are scrolled to their very end, searched and
 * filtered. Virtualisation is asserted by counting what is in the DOM; smoothness is measured
 * (frame times during continuous scrolling) and reported, never asserted, since it depends on the
 * machine.
 */

const COUNT = 100_000;
const ADMIN = { name: 'admin', password: 'correct horse battery' };
/** Far more than a screen of cards or rows, far fewer than a page of items. */
const MAX_ELEMENTS = 300;
const SCROLL_MEASURE_MS = 2_000;
/** The UI's default order: newest import first. */
const DEFAULT_ORDER = { sort: 'importedAt', order: 'desc' } as const;

let seeded: SeededLibrary | null = null;

test.describe.configure({ mode: 'serial', timeout: 180_000 });
test.use({
  hostSetup: {
    async beforeServe(dataDir) {
      seeded = await seedStation(dataDir, { count: COUNT, admin: ADMIN, thumbnails: true });
      console.log(
        `[scale] seeded ${seeded.items} items, ${seeded.custodyEntries} custody entries in ${Math.round(seeded.insertMs)} ms`,
      );
    },
  },
});

function library(): SeededLibrary {
  if (!seeded) throw new Error('the station was not seeded; is hostSetup in effect?');
  return seeded;
}

/** Console errors and uncaught exceptions, collected as they come. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url;
    errors.push(`console: ${message.text()} (${url})`);
  });
  return errors;
}

async function signIn(page: Page, host: WebHostInfo): Promise<void> {
  await page.setViewportSize({ width: 1600, height: 960 });
  await openStation(page, host);
  const form = page.getByTestId('sign-in-screen');
  await form.getByTestId('sign-in-name').fill(ADMIN.name);
  await form.getByTestId('sign-in-password').fill(ADMIN.password);
  await form.getByTestId('sign-in-submit').click();
  await expect(page.getByTestId('library-count')).toHaveAttribute('data-total', String(COUNT), {
    timeout: PASSWORD_STEP_TIMEOUT_MS,
  });
}

/** The names the engine puts last in the default order: what the end of the scroll must show. */
function lastNames(host: WebHostInfo, n: number): string[] {
  return readLibraryPage(host.dataDir, { ...DEFAULT_ORDER, offset: COUNT - n, limit: n }).names;
}

/** Scroll speeds, in pixels per animation frame: a wheel, a fast wheel, and dragging the scrollbar. */
const SPEEDS = [
  { name: 'wheel', pxPerFrame: 20 },
  { name: 'fast', pxPerFrame: 100 },
  { name: 'fling', pxPerFrame: 'half-screen' },
] as const;

interface FrameSample {
  deltas: number[];
  withPlaceholders: number;
  scrolledPx: number;
  /** Main-thread time in long animation frames (over 50 ms), if Chromium reports them. */
  longFrames: { count: number; totalMs: number; scriptMs: number; renderMs: number } | null;
}

interface FrameReport {
  view: string;
  speed: string;
  frames: number;
  pxPerSecond: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  /** Share of frames in which a card or row on screen was still a loading placeholder. */
  placeholderFrames: number;
  longFrames: FrameSample['longFrames'];
  /** The machine's 1-minute load average after the run: the figures are only as quiet as the machine. */
  load1: number;
}

function percentileOf(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}

/** Runs in the page: scrolls `element` by `step` px on every animation frame for `durationMs`. */
function sampleScrolling(
  element: Element,
  [step, durationMs]: readonly [number | 'half-screen', number],
): Promise<FrameSample> {
  const px = step === 'half-screen' ? Math.round(element.clientHeight / 2) : step;
  element.scrollTop = 0;
  interface LongFrame extends PerformanceEntry {
    renderStart: number;
    scripts: { duration: number }[];
  }
  const longFrames: LongFrame[] = [];
  const supported = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame');
  const observer = new PerformanceObserver((list) => longFrames.push(...(list.getEntries() as LongFrame[])));
  if (supported) observer.observe({ type: 'long-animation-frame' });
  return new Promise((resolve) => {
    const deltas: number[] = [];
    let withPlaceholders = 0;
    let scrolledPx = 0;
    let previous = -1;
    let started = -1;
    const onFrame = (now: number): void => {
      if (started < 0) started = now;
      else deltas.push(now - previous);
      previous = now;
      if (element.querySelector('[aria-busy="true"]')) withPlaceholders++;
      if (now - started < durationMs) {
        const before = element.scrollTop;
        element.scrollTop = before + px;
        scrolledPx += element.scrollTop - before;
        requestAnimationFrame(onFrame);
        return;
      }
      // Entries of the last frames are delivered a task later.
      setTimeout(() => {
        observer.disconnect();
        const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
        resolve({
          deltas,
          withPlaceholders,
          scrolledPx,
          longFrames: supported
            ? {
                count: longFrames.length,
                totalMs: sum(longFrames.map((f) => f.duration)),
                scriptMs: sum(longFrames.flatMap((f) => f.scripts.map((script) => script.duration))),
                renderMs: sum(
                  longFrames.map((f) => (f.renderStart > 0 ? f.startTime + f.duration - f.renderStart : 0)),
                ),
              }
            : null,
        });
      }, 100);
    };
    requestAnimationFrame(onFrame);
  });
}

/**
 * Frame times while `scroller` scrolls continuously at each speed for two seconds, measured in the
 * page with requestAnimationFrame, so they include React rendering, pages of items arriving,
 * thumbnails decoding and painting. Reported as an attachment and on the console, not asserted.
 */
async function measureScrolling(scroller: Locator, view: string, testInfo: TestInfo): Promise<FrameReport[]> {
  const reports: FrameReport[] = [];
  const round = (ms: number): number => Math.round(ms * 10) / 10;
  for (const speed of SPEEDS) {
    const sample = await scroller.evaluate(sampleScrolling, [speed.pxPerFrame, SCROLL_MEASURE_MS] as const);
    const sorted = [...sample.deltas].sort((a, b) => a - b);
    const report: FrameReport = {
      view,
      speed: speed.name,
      frames: sorted.length,
      pxPerSecond: Math.round(sample.scrolledPx / (SCROLL_MEASURE_MS / 1000)),
      medianMs: round(percentileOf(sorted, 50)),
      p95Ms: round(percentileOf(sorted, 95)),
      maxMs: round(sorted[sorted.length - 1] ?? 0),
      placeholderFrames: round(sample.withPlaceholders / (sorted.length + 1)),
      longFrames: sample.longFrames && {
        count: sample.longFrames.count,
        totalMs: Math.round(sample.longFrames.totalMs),
        scriptMs: Math.round(sample.longFrames.scriptMs),
        renderMs: Math.round(sample.longFrames.renderMs),
      },
      load1: Math.round(loadavg()[0]! * 100) / 100,
    };
    reports.push(report);
    const long = report.longFrames;
    console.log(
      `[scale] ${view} ${speed.name} (${report.pxPerSecond} px/s): ${report.frames} frames, ` +
        `median ${report.medianMs} ms, p95 ${report.p95Ms} ms, max ${report.maxMs} ms; ` +
        `placeholders in ${Math.round(report.placeholderFrames * 100)}% of frames` +
        (long ? `; ${long.count} long frames, ${long.scriptMs} ms script, ${long.renderMs} ms render` : '') +
        `; load ${report.load1}`,
    );
  }
  await testInfo.attach(`frame-times-${view}`, {
    body: JSON.stringify(reports, null, 2),
    contentType: 'application/json',
  });
  return reports;
}

test('grid: 100,000 items scroll to the very end with only the visible cards in the DOM', async ({
  page,
  webHost,
}, testInfo) => {
  const errors = watchErrors(page);
  await signIn(page, webHost);
  await expect(page.getByTestId('library-count')).toHaveText('共 100,000 项');
  const grid = page.getByTestId('library-grid');
  const cards = page.getByTestId('library-card');
  await expect(cards.first()).toBeVisible();
  expect(await cards.count()).toBeLessThan(MAX_ELEMENTS);

  await measureScrolling(grid, 'grid', testInfo);

  // Straight to the end, as a drag of the scrollbar does.
  await grid.evaluate((element) => {
    element.scrollTop = element.scrollHeight;
  });
  for (const name of lastNames(webHost, 3)) {
    await expect(cards.filter({ hasText: name })).toBeVisible();
  }
  await expect(grid.locator('[aria-busy="true"]')).toHaveCount(0);
  const atEnd = await grid.evaluate((element) => element.scrollHeight - element.clientHeight - element.scrollTop);
  expect(atEnd).toBeLessThanOrEqual(1);
  const cardsInDom = await cards.count();
  expect(cardsInDom).toBeGreaterThan(0);
  expect(cardsInDom).toBeLessThan(MAX_ELEMENTS);
  await expect
    .poll(() =>
      grid.locator('img.thumb-img').evaluateAll((images) =>
        images.every((img) => {
          const image = img as unknown as { complete: boolean; naturalWidth: number };
          return image.complete && image.naturalWidth > 0;
        }),
      ),
    )
    .toBe(true);
  await saveScreenshot(page, '20-scale-grid-end');
  expect(errors).toEqual([]);
});

test('list: the keyboard reaches the last of 100,000 rows, still virtualised', async ({ page, webHost }, testInfo) => {
  const errors = watchErrors(page);
  await signIn(page, webHost);
  await page.getByTestId('view-list').click();
  const list = page.getByTestId('library-list');
  const scroller = list.locator('.library-scroll');
  const rows = page.getByTestId('library-row');
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(MAX_ELEMENTS);

  await measureScrolling(scroller, 'list', testInfo);

  // End on a focused row moves to the last row and scrolls it into view, as in a file manager.
  await scroller.evaluate((element) => {
    element.scrollTop = 0;
  });
  await rows.first().focus();
  await page.keyboard.press('End');
  const last = lastNames(webHost, 3);
  for (const name of last) {
    await expect(rows.filter({ hasText: name })).toBeVisible();
  }
  await expect(list.locator('[aria-busy="true"]')).toHaveCount(0);
  const rowsInDom = await rows.count();
  expect(rowsInDom).toBeGreaterThan(0);
  expect(rowsInDom).toBeLessThan(MAX_ELEMENTS);
  await expect(list).toHaveAttribute('aria-rowcount', String(COUNT));
  // End also selects the last row, so the detail pane shows it and asks for its picture: the seeded
  // rows have thumbnails but no original file, which answers 404 once (a real item has its file).
  await expect(page.getByTestId('detail-pane')).toContainText(last.at(-1)!);
  await saveScreenshot(page, '21-scale-list');
  const seededOriginal = /404 .*\/media\/[0-9a-f-]+\/original\?/;
  expect(errors.filter((e) => !seededOriginal.test(e))).toEqual([]);
  expect(errors.length).toBeLessThanOrEqual(1);
});

test('search and the device filter narrow 100,000 items to the expected counts', async ({ page, webHost }) => {
  const errors = watchErrors(page);
  const { probe } = library();
  await signIn(page, webHost);
  const count = page.getByTestId('library-count');

  await page.getByTestId('filter-text').fill(probe.nameFragment);
  await expect(count).toHaveAttribute('data-total', String(probe.nameFragmentItems));
  const cards = page.getByTestId('library-card');
  await expect(cards.first()).toContainText(probe.nameFragment);
  expect(await cards.count()).toBeLessThanOrEqual(probe.nameFragmentItems);
  await saveScreenshot(page, '22-scale-search');

  await page.getByTestId('filter-text').fill('');
  await expect(count).toHaveAttribute('data-total', String(COUNT));
  await page.getByTestId('filter-device').selectOption(probe.device);
  await expect(count).toHaveAttribute('data-total', String(probe.deviceItems));
  await expect(cards.first()).toContainText(probe.device);

  // Both together: the day's recordings by that device, as the engine itself counts them.
  await page.getByTestId('filter-text').fill(probe.nameFragment);
  const both = readLibraryPage(webHost.dataDir, { text: probe.nameFragment, deviceId: probe.device, limit: 1 });
  await expect(count).toHaveAttribute('data-total', String(both.total));
  expect(both.total).toBeLessThan(probe.nameFragmentItems);
  expect(errors).toEqual([]);
});
