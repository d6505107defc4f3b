import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { generateMediaFixtures, locateNpmFfmpeg } from '../test/fixtures/generateMedia';
import { decodeRgbFrameAt, decodeRgbImage } from '../test/support/mediaFrames';
import { resolveMediaTools } from '../src/core/media/tools/binaries';
import { importThroughDialog, setUpFirstAdmin, signIn } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test, type WebHostInfo } from './support/webHost';

/**
 * The review workspace driven as a reviewer drives it, with the keyboard, through the real web
 * host and Chromium: open a recording, go to a time, step frame by frame (the decoder's own
 * `requestVideoFrameCallback` media time moves by exactly one frame, the pixels change, and the
 * frame number on screen follows), jump keyframes, shuttle, set in and out with I and O, cut a
 * lossless and a frame-exact clip (the real range shown before the cut is the range of the new
 * item), take a still, tag the range and undo a tag change, drop a marker, and read the help.
 * Screenshots land in e2e/screenshots/review-*.png.
 */

const ADMIN = { name: 'admin', displayName: '张审阅', password: 'correct horse battery' };
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');
/** The `review` fixture: 6 s of 320x240 at 25 fps, a keyframe every 25 frames, B-frames; every frame's picture differs. */
const FPS = 25;
const RECORDING = 'DSJ-A8_012345_20260301093000_0007.MP4';
const FRAME_SEC = 1 / FPS;

let cameraRoot: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  cameraRoot = await mkdtemp(join(tmpdir(), 'station-e2e-review-'));
  const cameraDir = join(cameraRoot, 'DCIM', '100MEDIA');
  await mkdir(cameraDir, { recursive: true });
  // A body-cam's name and wall clock on the fixture's frames (stream copy: the same frames).
  await promisify(execFile)(locateNpmFfmpeg(), [
    ...['-nostdin', '-hide_banner', '-v', 'error', '-y', '-i', fixtures.review, '-c', 'copy'],
    ...['-metadata', 'creation_time=2026-03-01T09:30:00Z', join(cameraDir, RECORDING)],
  ]);
});

test.afterAll(async () => {
  if (cameraRoot) await rm(cameraRoot, { recursive: true, force: true });
});

interface ShownFrame {
  /** `requestVideoFrameCallback`'s media time of the frame presented. */
  mediaTime: number;
  /** A hash of that frame's pixels, drawn through a canvas. */
  pixels: string;
}

/** Frames presented since `pressAndCatchFrame` started watching, kept on the page's window. */
interface FrameWatch {
  presented: number[];
  handle: number;
}

/**
 * Presses `key` and waits until the video has settled on a new frame, as the decoder reports it,
 * then hashes the pixels on screen. The first frame presented after the press can be a late one of
 * an earlier seek (seen on a loaded machine), so the answer is the last frame presented once the
 * video has stopped seeking and presented nothing new for ten animation frames. Fails if no frame
 * comes at all (the key did not move the picture).
 */
async function pressAndCatchFrame(page: Page, key: string): Promise<ShownFrame> {
  await page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!;
    const watch = window as unknown as FrameWatch;
    watch.presented = [];
    const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
      watch.presented.push(metadata.mediaTime);
      watch.handle = video.requestVideoFrameCallback(onFrame);
    };
    watch.handle = video.requestVideoFrameCallback(onFrame);
  });
  await page.keyboard.press(key);
  const mediaTime = await page.evaluate(async () => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!;
    const watch = window as unknown as FrameWatch;
    const nextAnimationFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
    const giveUpAt = performance.now() + 8000;
    let seen = 0;
    let quiet = 0;
    while (quiet < 10 && performance.now() < giveUpAt) {
      await nextAnimationFrame();
      const settled = watch.presented.length > 0 && !video.seeking && watch.presented.length === seen;
      quiet = settled ? quiet + 1 : 0;
      seen = watch.presented.length;
    }
    video.cancelVideoFrameCallback(watch.handle);
    if (watch.presented.length === 0) throw new Error('no new frame was presented');
    return watch.presented.at(-1)!;
  });
  return { mediaTime, pixels: await hashPicture(page) };
}

async function hashPicture(page: Page): Promise<string> {
  return page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('[data-testid="review-video"]')!;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(video, 0, 0);
    const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0x811c9dc5;
    for (let i = 0; i < data.length; i += 4) {
      hash = Math.imul(hash ^ data[i]!, 0x01000193);
      hash = Math.imul(hash ^ data[i + 1]!, 0x01000193);
      hash = Math.imul(hash ^ data[i + 2]!, 0x01000193);
    }
    return (hash >>> 0).toString(16);
  });
}

/**
 * The tests after the first rely on it: the station is set up. Opens it signed in as the admin,
 * at the screenshot size; returns the page errors seen from then on.
 */
async function signInAgain(page: Page, webHost: WebHostInfo): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });
  await openStation(page, webHost);
  await signIn(page, ADMIN);
  return errors;
}

/** Imports the one recording in `dir` and opens it in the review workspace. */
async function importAndOpen(page: Page, dir: string, name: string): Promise<void> {
  await importThroughDialog(page, dir, 1);
  await page.getByTestId('library-card').filter({ hasText: name }).click();
  await page.getByTestId('open-review').click();
}

async function goTo(page: Page, text: string): Promise<void> {
  await page.keyboard.press('KeyG');
  const dialog = page.getByTestId('goto-dialog');
  await expect(dialog.getByTestId('goto-input')).toBeFocused();
  await dialog.getByTestId('goto-input').fill(text);
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
}

async function expectFrame(page: Page, frame: number): Promise<void> {
  await expect(page.getByTestId('frame-number')).toHaveAttribute('data-frame', String(frame));
}

/** Wall-clock text `2026-03-01 09:30:04.000 +08:00` as milliseconds, ignoring the zone. */
function wallMs(text: string): number {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d{3}) (UTC|[+-]\d{2}:\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`not a wall-clock time: ${text}`);
  return Date.parse(`${match[1]}T${match[2]}Z`);
}

test('a reviewer finds the frames, cuts both kinds of clip, takes a still and tags the range', async ({
  page,
  webHost,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });

  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);

  await importThroughDialog(page, join(cameraRoot, 'DCIM'), 1);

  // Open the recording from the library's detail pane.
  await page.getByTestId('library-card').filter({ hasText: RECORDING }).click();
  await page.getByTestId('open-review').click();
  const workspace = page.getByTestId('review-workspace');
  await expect(workspace).toHaveAttribute('data-state', 'ready');
  await expect(page.getByTestId('review-playback')).toHaveAttribute('data-playback', 'original');
  await expect(page.getByTestId('review-title')).toContainText(RECORDING);
  // The filmstrip is made in the background; the workspace picks it up when it is ready.
  await expect(page.getByTestId('filmstrip')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 });
  await expect
    .poll(() => page.getByTestId('review-video').evaluate((v: HTMLVideoElement) => v.readyState))
    .toBeGreaterThanOrEqual(2);
  await expectFrame(page, 0);
  await expect(page.getByTestId('media-time')).toHaveText('00:00:00.000');
  const wallAtStart = wallMs(await page.getByTestId('wall-time').innerText());
  await saveScreenshot(page, 'review-01-opened');

  // Hovering the timeline previews the keyframe tile there; dragging scrubs the picture along.
  const content = page.getByTestId('timeline-content');
  const box = (await content.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.7, box.y + 40);
  await expect(page.getByTestId('hover-preview')).toBeVisible();
  await saveScreenshot(page, 'review-02-hover-preview');
  await page.mouse.move(box.x + box.width * 0.1, box.y + 40);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + 40, { steps: 8 });
  await page.mouse.move(box.x + box.width * 0.5, box.y + 40, { steps: 8 });
  await page.mouse.up();
  await expect
    .poll(async () => Number(await page.getByTestId('frame-number').getAttribute('data-frame')))
    .toBe(Math.floor(0.5 * 6 * FPS));
  await page.mouse.move(box.x + box.width * 0.5, box.y - 200);
  await expect(page.getByTestId('hover-preview')).toBeHidden();

  // Go to 2 s: frame 50, and the wall clock 2 s after the recording's start.
  await goTo(page, '00:00:02.000');
  await expectFrame(page, 50);
  await expect(page.getByTestId('media-time')).toHaveText('00:00:02.000');
  expect(wallMs(await page.getByTestId('wall-time').innerText()) - wallAtStart).toBe(2000);
  const atFifty = await hashPicture(page);

  // Frame steps: the decoder presents exactly the next frame, the picture changes, the number follows.
  const forward = await pressAndCatchFrame(page, 'Period');
  expect(forward.mediaTime).toBeCloseTo(2 + FRAME_SEC, 3);
  expect(forward.pixels).not.toBe(atFifty);
  await expectFrame(page, 51);
  await expect(page.getByTestId('media-time')).toHaveText('00:00:02.040');
  const forwardAgain = await pressAndCatchFrame(page, 'Period');
  expect(forwardAgain.mediaTime - forward.mediaTime).toBeCloseTo(FRAME_SEC, 3);
  expect(forwardAgain.pixels).not.toBe(forward.pixels);
  await expectFrame(page, 52);
  const back = await pressAndCatchFrame(page, 'Comma');
  expect(forward.mediaTime - back.mediaTime).toBeCloseTo(0, 3);
  expect(back.pixels).toBe(forward.pixels);
  await expectFrame(page, 51);
  await saveScreenshot(page, 'review-03-frame-step');

  // Keyframe jumps land on the GOP starts (every 25 frames); arrows move by whole seconds.
  await page.keyboard.press('Shift+Period');
  await expectFrame(page, 75);
  await page.keyboard.press('Shift+Comma');
  await expectFrame(page, 50);
  await page.keyboard.press('ArrowRight');
  await expectFrame(page, 75);
  await page.keyboard.press('Home');
  await expectFrame(page, 0);
  await page.keyboard.press('End');
  await expectFrame(page, 149);

  // Space plays even when a transport button has the focus (it does not press the button again).
  await page.keyboard.press('Home');
  await page.getByTestId('do-frameForward').click();
  await expectFrame(page, 1);
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '1');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '0');

  // Shuttle: L plays and L again doubles; K stops; J plays backwards.
  await page.keyboard.press('Home');
  await page.keyboard.press('KeyL');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '1');
  await page.keyboard.press('KeyL');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '2');
  await expect
    .poll(async () => Number(await page.getByTestId('frame-number').getAttribute('data-frame')))
    .toBeGreaterThan(10);
  await page.keyboard.press('KeyK');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '0');
  const stoppedAt = Number(await page.getByTestId('frame-number').getAttribute('data-frame'));
  await page.keyboard.press('KeyJ');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '-1');
  await expect
    .poll(async () => Number(await page.getByTestId('frame-number').getAttribute('data-frame')))
    .toBeLessThan(stoppedAt);
  await page.keyboard.press('KeyK');
  await expect(page.getByTestId('play-rate')).toHaveAttribute('data-rate', '0');

  // In at frame 30, out after frame 80: the range holds frames 30..80 and ends (exclusive) at 3.240 s.
  await goTo(page, '#30');
  await expectFrame(page, 30);
  await page.keyboard.press('KeyI');
  await goTo(page, '#80');
  await expectFrame(page, 80);
  await page.keyboard.press('KeyO');
  await expect(page.getByTestId('range-in-value')).toHaveText('00:00:01.200 #30');
  await expect(page.getByTestId('range-out-value')).toContainText('#80');
  await expect(page.getByTestId('range-out-value')).toContainText('00:00:03.240');
  await expect(page.getByTestId('range-length')).toContainText('51');
  await expect(page.getByTestId('range-overlay')).toBeVisible();

  // Lossless: the plan shows the keyframe before the in point (frame 25) before anything is cut.
  const plan = page.getByTestId('clip-plan');
  await expect(plan).toHaveAttribute('data-state', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('clip-plan-range')).toContainText('00:00:01.000 –');
  await expect(page.getByTestId('clip-plan-earlier')).toBeVisible();
  await expect(page.getByTestId('range-plan')).toBeVisible();
  const losslessPlan = await page.getByTestId('clip-plan-range').innerText();
  await saveScreenshot(page, 'review-04-lossless-plan');
  await page.getByTestId('clip-cut').click();
  const clipResult = page.getByTestId('clip-result');
  await expect(clipResult).toBeVisible({ timeout: 60_000 });
  const [planFrom, planTo] = losslessPlan.split('–').map((s) => s.trim());
  await expect(page.getByTestId('clip-result-range')).toContainText(`${planFrom} – ${planTo}`);
  await expect(page.getByTestId('clip-result-sha256')).toHaveAttribute('data-sha256', /^[0-9a-f]{64}$/);
  const losslessId = await clipResult.getAttribute('data-item-id');
  await saveScreenshot(page, 'review-05-lossless-clip');

  // Frame-exact: exactly frames 30..80.
  await page.getByTestId('clip-mode-exact').check();
  await expect(page.getByTestId('clip-plan-range')).toHaveText('00:00:01.200 – 00:00:03.240', { timeout: 30_000 });
  await expect(page.getByTestId('clip-plan-detail')).toContainText('51');
  await page.getByTestId('clip-cut').click();
  await expect(clipResult).not.toHaveAttribute('data-item-id', losslessId ?? '', { timeout: 120_000 });
  await expect(page.getByTestId('clip-result-range')).toContainText('00:00:01.200 – 00:00:03.240 · 51', {
    timeout: 120_000,
  });
  const exactId = await clipResult.getAttribute('data-item-id');
  await expect(page.getByTestId('derivative-row')).toHaveCount(2);

  // Still of the frame on screen (80).
  await page.keyboard.press('KeyS');
  await expect(page.getByTestId('still-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('still-result-range')).toContainText('00:00:03.200');
  await expect(page.getByTestId('still-result-range')).toContainText('80');
  await expect(page.getByTestId('derivative-row')).toHaveCount(3);

  // A marker at frame 80.
  await page.keyboard.press('KeyM');
  await expect(page.getByTestId('marker-row')).toHaveCount(1);
  await expect(page.getByTestId('marker-seek')).toHaveText('00:00:03.200 #80');
  await expect(page.getByTestId('marker-flag')).toHaveCount(1);

  // Tag the range as street vending with a note.
  await page.getByTestId('tag-add-open').click();
  const form = page.getByTestId('tag-form');
  const typeSelect = form.getByTestId('tag-type');
  const vending = await typeSelect.locator('option', { hasText: '占道经营' }).first().getAttribute('value');
  expect(vending).toBeTruthy();
  await typeSelect.selectOption(vending!);
  await expect(form.getByTestId('tag-scope-range')).toBeChecked();
  await form.getByTestId('tag-note-input').fill('流动摊贩占用人行道');
  await saveScreenshot(page, 'review-06-tag-form');
  await form.getByTestId('tag-submit').click();
  const tagRow = page.getByTestId('tag-row').first();
  await expect(tagRow.getByTestId('tag-name')).toHaveText(/占道经营/);
  await expect(tagRow.getByTestId('tag-range')).toHaveText('00:00:01.200 – 00:00:03.240');
  await expect(tagRow.getByTestId('tag-note')).toHaveText('流动摊贩占用人行道');
  await expect(page.getByTestId('tag-bar')).toHaveCount(1);

  // Change the note, then undo the change with Ctrl+Z: the note is back.
  await tagRow.getByTestId('tag-edit').click();
  await page.getByTestId('tag-form').getByTestId('tag-note-input').fill('写错了');
  await page.getByTestId('tag-form').getByTestId('tag-submit').click();
  await expect(tagRow.getByTestId('tag-note')).toHaveText('写错了');
  await expect(tagRow).toHaveAttribute('data-revision', '2');
  await page.keyboard.press('Control+KeyZ');
  await expect(tagRow.getByTestId('tag-note')).toHaveText('流动摊贩占用人行道');
  await saveScreenshot(page, 'review-07-tagged');

  // Ctrl+wheel zooms the timeline around the pointer; + zooms down to single frames with frame ticks.
  await page.getByTestId('zoom-fit').click();
  const timeline = page.getByTestId('timeline');
  const wholePx = Number(await timeline.getAttribute('data-px-per-sec'));
  const scroller = (await page.getByTestId('timeline-scroller').boundingBox())!;
  await page.mouse.move(scroller.x + scroller.width / 2, scroller.y + 40);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -400);
  await page.keyboard.up('Control');
  await expect.poll(async () => Number(await timeline.getAttribute('data-px-per-sec'))).toBeGreaterThan(wholePx);
  await page.getByTestId('zoom-fit').click();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Equal');
  await expect(page.getByTestId('timeline-ruler')).toHaveAttribute('data-frame-ticks', 'true');
  await saveScreenshot(page, 'review-08-frame-zoom');
  await page.keyboard.press('Digit0');

  // The shortcut overlay lists every key from the same table the keys use.
  await page.keyboard.press('Shift+Slash');
  const help = page.getByTestId('shortcut-help');
  await expect(help).toBeVisible();
  await expect(help.getByTestId('shortcut-row').first()).toBeVisible();
  await saveScreenshot(page, 'review-09-shortcuts');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(page.getByTestId('do-playPause')).toHaveAttribute('title', /（空格）|\(Space\)/);

  // Open the exact clip: its derivation points back to the source.
  await page.getByTestId('clip-result-open').click();
  await expect(workspace).toHaveAttribute('data-item-id', exactId ?? '');
  await expect(page.getByTestId('derivation')).toBeVisible();
  await expect(page.getByTestId('derivation-range')).toHaveText('00:00:01.200 – 00:00:03.240');
  await expect
    .poll(() => page.getByTestId('review-video').evaluate((v: HTMLVideoElement) => v.readyState))
    .toBeGreaterThanOrEqual(2);
  await saveScreenshot(page, 'review-10-clip-derivation');
  // The source opens at the clip's first frame.
  await page.getByTestId('derivation-source').click();
  await expect(page.getByTestId('review-title')).toContainText(RECORDING);
  await expectFrame(page, 30);

  expect(errors).toEqual([]);
});

test('a recording Chromium cannot decode plays through its proxy, marked as such; the workspace in English', async ({
  page,
  webHost,
}) => {
  test.setTimeout(180_000);
  const errors = await signInAgain(page, webHost);

  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  const hevcDir = join(cameraRoot, 'HEVC');
  await mkdir(hevcDir, { recursive: true });
  await copyFile(fixtures.hevc, join(hevcDir, 'hevc.mp4'));
  await importAndOpen(page, hevcDir, 'hevc.mp4');
  // Opened while the proxy may still be in the making: the workspace switches to it when it is ready.
  const playback = page.getByTestId('review-playback');
  await expect(playback).toHaveAttribute('data-playback', /pending|proxy/);
  await expect(playback).toHaveAttribute('data-playback', 'proxy', { timeout: 120_000 });
  await expect(page.getByTestId('proxy-badge')).toBeVisible();
  // The badge sits above the picture, not on it (cameras burn their timecode into the top-left).
  const badgeBox = await page.getByTestId('proxy-badge').boundingBox();
  const videoBox = await page.getByTestId('review-video').boundingBox();
  expect(badgeBox && videoBox && badgeBox.y + badgeBox.height <= videoBox.y).toBe(true);
  await expect
    .poll(() => page.getByTestId('review-video').evaluate((v: HTMLVideoElement) => v.readyState))
    .toBeGreaterThanOrEqual(2);
  const step = await pressAndCatchFrame(page, 'Period');
  expect(step.mediaTime).toBeCloseTo(FRAME_SEC, 3);
  await expectFrame(page, 1);

  await page.getByTestId('locale-en').click();
  await expect(page.getByTestId('proxy-badge')).toHaveText('Proxy for viewing only');
  await expect(page.getByTestId('do-playPause')).toHaveAttribute('title', 'Play / pause (Space)');
  await saveScreenshot(page, 'review-11-proxy-english');
  await page.getByTestId('locale-zh-CN').click();

  // "Add to case" opens the case picker for this recording; the keys rest while it is open.
  await page.getByTestId('review-add-to-case').click();
  const addToCase = page.getByTestId('add-to-case-dialog');
  await expect(addToCase).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(addToCase).toBeHidden();

  expect(errors).toEqual([]);
});

test('an MPEG-TS recording, whose picture starts after its sound, numbers frames from its first frame; a still is the frame on screen', async ({
  page,
  webHost,
}) => {
  test.setTimeout(180_000);
  const errors = await signInAgain(page, webHost);

  // The review fixture's frames remuxed into MPEG-TS: the muxer starts the AAC priming first, so
  // frame 0 is shown 21.333 ms into the recording. Chromium plays it through its proxy.
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  const tsDir = join(cameraRoot, 'TS');
  await mkdir(tsDir, { recursive: true });
  await promisify(execFile)(locateNpmFfmpeg(), [
    ...['-nostdin', '-hide_banner', '-v', 'error', '-y', '-i', fixtures.review, '-c', 'copy'],
    ...['-f', 'mpegts', join(tsDir, 'camera.ts')],
  ]);
  await importAndOpen(page, tsDir, 'camera.ts');
  await expect(page.getByTestId('review-playback')).toHaveAttribute('data-playback', 'proxy', { timeout: 120_000 });
  await expect
    .poll(() => page.getByTestId('review-video').evaluate((v: HTMLVideoElement) => v.readyState))
    .toBeGreaterThanOrEqual(2);

  const firstFrameSec = 0.021333;
  // 2.000 s falls inside frame 49 (shown from 1.981 s); one step on is frame 50, at its own time.
  await goTo(page, '00:00:02.000');
  await expectFrame(page, 49);
  const step = await pressAndCatchFrame(page, 'Period');
  expect(Math.abs(step.mediaTime - (firstFrameSec + 50 * FRAME_SEC))).toBeLessThan(0.001);
  await expectFrame(page, 50);
  await expect(page.getByTestId('media-time')).toHaveText('00:00:02.021');

  // The still is the original's frame 50, pixel for pixel (not its neighbour).
  await page.keyboard.press('KeyS');
  const still = page.getByTestId('still-result');
  await expect(still).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('still-result-range')).toContainText('00:00:02.021');
  await expect(page.getByTestId('still-result-range')).toContainText('50');
  const sha256 = (await page.getByTestId('still-result-sha256').getAttribute('data-sha256'))!;
  const stored = join(webHost.dataDir, 'evidence', 'sha256', sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  // Decoded with the pair the station resolved, as it made the still.
  const tools = await resolveMediaTools({ env: {} });
  const png = await decodeRgbImage(tools, stored);
  expect(png.equals(await decodeRgbFrameAt(tools, fixtures.review, 50))).toBe(true);
  expect(png.equals(await decodeRgbFrameAt(tools, fixtures.review, 49))).toBe(false);
  await saveScreenshot(page, 'review-12-mpegts-still');

  expect(errors).toEqual([]);
});
