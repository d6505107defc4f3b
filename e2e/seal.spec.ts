import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, open, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from '@playwright/test';
import { generateMediaFixtures } from '../test/fixtures/generateMedia';
import { importThroughDialog, setUpFirstAdmin } from './support/stationSteps';
import { expect, openStation, saveScreenshot, test } from './support/webHost';

/**
 * Seal, export and verify through the real web host and Chromium: a recording imported, a case
 * made and sealed as version 1, exported as a folder to a temporary "medium" and read back, the
 * copy verified on the Verify screen (every check passes), one byte of an original in the copy
 * changed (the Verify screen names it as `changed`), the report's first and last page rendered
 * with pdftoppm, and the case reopened as version 2 with version 1 still listed and exportable.
 * Screenshots land in e2e/screenshots/seal-*.png and report-*.png.
 */

const ADMIN = { name: 'admin', displayName: '李队长', password: 'correct horse battery' };
const MEDIA_CACHE = join(tmpdir(), 'station-e2e-media');
const RECORDING = 'FILE0001.MP4';
const TITLE = '淮海中路 18 号门前占道经营';
const OFFICE = '上海市黄浦区城市管理行政执法局';
const REOPEN_REASON = '法制审核要求补充第二段录像的片段';
const SCREENSHOTS = join(import.meta.dirname, 'screenshots');
/**
 * The test machine has no CJK system font, so Chinese would render as boxes in the screenshots.
 * The page gets the Noto Sans SC the report embeds, served by Playwright under a name the
 * station's font stack already lists; the app itself is unchanged.
 */
const CJK_FONT = join(
  import.meta.dirname,
  '..',
  'node_modules',
  '@expo-google-fonts',
  'noto-sans-sc',
  '400Regular',
  'NotoSansSC_400Regular.ttf',
);
const CJK_FONT_URL = '/__e2e__/noto-sans-sc.ttf';

let root: string;
let cameraDir: string;
let medium: string;
/** A second medium for the zip: the folder export already took the package's name on the first. */
let mediumZip: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  const fixtures = await generateMediaFixtures(MEDIA_CACHE);
  root = await mkdtemp(join(tmpdir(), 'station-e2e-seal-'));
  cameraDir = join(root, 'DCIM', '100MEDIA');
  medium = join(root, 'usb');
  mediumZip = join(root, 'usb2');
  await mkdir(cameraDir, { recursive: true });
  await mkdir(medium);
  await mkdir(mediumZip);
  await copyFile(fixtures.h264, join(cameraDir, RECORDING));
});

test.afterAll(async () => {
  if (!root) return;
  // The export may have left its files read-only; make them removable first.
  await promisify(execFile)('chmod', ['-R', 'u+w', root]).catch(() => undefined);
  await rm(root, { recursive: true, force: true });
});

/** Flips the bits of one byte in the middle of `path`, making it writable first if it is not. */
async function tamperByte(path: string): Promise<void> {
  await chmod(path, 0o644);
  const { size } = await stat(path);
  const handle = await open(path, 'r+');
  try {
    const at = Math.floor(size / 2);
    const byte = Buffer.alloc(1);
    await handle.read(byte, 0, 1, at);
    byte[0] = byte[0]! ^ 0xff;
    await handle.write(byte, 0, 1, at);
  } finally {
    await handle.close();
  }
}

/** Renders one page of a PDF to `e2e/screenshots/<name>.png` at 50 dpi with poppler's pdftoppm. */
async function renderPdfPage(pdf: string, page: number, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const prefix = join(SCREENSHOTS, name);
  const pageArg = String(page);
  await promisify(execFile)('pdftoppm', ['-png', '-r', '50', '-f', pageArg, '-l', pageArg, '-singlefile', pdf, prefix]);
  return `${prefix}.png`;
}

async function pdfPageCount(pdf: string): Promise<number> {
  const { stdout } = await promisify(execFile)('pdfinfo', [pdf]);
  const match = /^Pages:\s+(\d+)/m.exec(stdout);
  if (!match) throw new Error(`pdfinfo gave no page count:\n${stdout}`);
  return Number(match[1]);
}

/** Makes Chinese readable in screenshots (see CJK_FONT), on every document the page loads. */
async function useCjkFont(page: Page): Promise<void> {
  await page.route(`**${CJK_FONT_URL}`, (route) => route.fulfill({ path: CJK_FONT, contentType: 'font/ttf' }));
  await page.addInitScript((url) => {
    const style = document.createElement('style');
    style.textContent = `@font-face { font-family: 'Noto Sans CJK SC'; src: url('${url}') format('truetype'); }`;
    document.addEventListener('DOMContentLoaded', () => document.head.append(style));
  }, CJK_FONT_URL);
}

async function verifyOnScreen(page: Page, path: string): Promise<void> {
  await page.getByTestId('nav-verify').click();
  const view = page.getByTestId('verify-view');
  await view.getByTestId('verify-path').fill(path);
  await view.getByTestId('verify-run').click();
}

test('seal, export to a folder, verify, tamper, reopen', async ({ page, webHost }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.setViewportSize({ width: 1600, height: 960 });
  await useCjkFont(page);

  await openStation(page, webHost);
  await setUpFirstAdmin(page, ADMIN);
  await importThroughDialog(page, join(root, 'DCIM'), 1);

  // The admin names the office every package will carry, beside this station's key.
  await page.getByTestId('open-station-keys').click();
  const settings = page.getByTestId('station-keys-dialog');
  await expect(settings.getByTestId('station-fingerprint')).toHaveText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  await expect(settings.getByTestId('station-public-key')).toContainText('BEGIN PUBLIC KEY');
  await settings.getByTestId('office-name-input').fill(OFFICE);
  await settings.getByTestId('office-name-save').click();
  await expect(settings.getByTestId('office-name-saved')).toBeVisible();
  await saveScreenshot(page, 'seal-00-station-settings');
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  // A case with a title, and the recording added from the library's detail pane.
  await page.getByTestId('nav-cases').click();
  await page.getByTestId('new-case').click();
  const form = page.getByTestId('case-form-dialog');
  await form.getByTestId('case-field-title').fill(TITLE);
  await form.getByTestId('case-form-submit').click();
  const caseView = page.getByTestId('case-view');
  await expect(caseView.getByTestId('case-title')).toHaveText(TITLE);
  const caseId = (await caseView.getAttribute('data-case-id'))!;
  const number = (await caseView.getByTestId('case-number').textContent())!;
  // An empty case cannot be sealed, and the page says why.
  await expect(caseView.getByTestId('seal-open')).toBeDisabled();
  await expect(caseView.getByTestId('seal-blocker')).toBeVisible();

  await page.getByTestId('nav-library').click();
  await page.getByTestId('library-card').filter({ hasText: RECORDING }).click();
  await expect(page.getByTestId('detail-name')).toHaveText(RECORDING);
  await page.getByTestId('add-to-case').click();
  const add = page.getByTestId('add-to-case-dialog');
  await add.locator(`[data-testid="add-case-option"][data-case-id="${caseId}"]`).click();
  await add.getByTestId('add-case-submit').click();
  await expect(add.getByTestId('add-case-done')).toContainText(number);
  await add.getByTestId('add-case-open').click();
  await expect(caseView.getByTestId('case-item-count')).toHaveAttribute('data-count', '1');

  // Seal: the dialog spells out what happens, then the case is version 1, sealed and read-only.
  await caseView.getByTestId('seal-open').click();
  const seal = page.getByTestId('seal-dialog');
  await expect(seal).toContainText('SHA-256');
  await expect(seal.getByTestId('seal-submit')).toBeFocused();
  await saveScreenshot(page, 'seal-01-dialog');
  await seal.getByTestId('seal-submit').click();
  // Either outcome ends the wait; a refusal then fails with its message rather than a timeout.
  await expect(caseView.getByTestId('seal-done').or(seal.getByTestId('error-banner'))).toBeVisible({
    timeout: 120_000,
  });
  await expect(seal.getByTestId('error-banner')).toHaveCount(0);
  await expect(seal).toBeHidden();
  await expect(caseView).toHaveAttribute('data-state', 'sealed');
  await expect(caseView.getByTestId('case-seal-badge')).toHaveAttribute('data-version', '1');
  await expect(caseView.getByTestId('seal-done')).toBeVisible();
  await expect(caseView.getByTestId('case-read-only')).toBeVisible();
  await expect(caseView.getByTestId('case-edit')).toBeDisabled();
  await expect(caseView.getByTestId('evidence-remove')).toHaveCount(0);
  const v1 = caseView.locator('[data-testid="case-version"][data-version="1"]');
  await expect(v1).toBeVisible();
  await expect(v1.getByTestId('version-sealed-by')).toHaveText(ADMIN.name);
  await expect(v1.getByTestId('version-tag-manifest')).toHaveText(/^[0-9a-f]{64}$/);
  await expect(caseView.locator('[data-testid="case-record-entry"][data-action="case.seal"]')).toHaveCount(1);
  await saveScreenshot(page, 'seal-02-sealed-case');

  // Export as a folder to the "medium"; success only after the copy was read back and verified.
  await caseView.getByTestId('export-open').click();
  const exporter = page.getByTestId('export-dialog');
  await expect(exporter.getByTestId('export-target')).toBeFocused();
  await exporter.getByTestId('export-folder').click();
  await exporter.getByTestId('export-target').fill(medium);
  await expect(exporter.getByTestId('export-size')).toContainText('KB');
  await saveScreenshot(page, 'seal-03-export-dialog');
  await exporter.getByTestId('export-start').click();
  await expect(exporter.getByTestId('export-done').or(exporter.getByTestId('error-banner'))).toBeVisible({
    timeout: 120_000,
  });
  await expect(exporter.getByTestId('error-banner')).toHaveCount(0);
  await expect(exporter.getByTestId('export-done')).toBeVisible();
  const bag = (await exporter.getByTestId('export-path').textContent())!;
  expect(bag).toBe(join(medium, `${number}-v1`));
  expect((await readdir(medium)).sort()).toEqual([`${number}-v1`]);
  await saveScreenshot(page, 'seal-03-export-result');
  await exporter.getByTestId('export-close').click();
  await expect(exporter).toBeHidden();
  await expect(caseView.locator('[data-testid="case-record-entry"][data-action="case.export"]')).toHaveCount(1);

  // The court report: its first and last page as images, for a human to look at.
  const pdf = join(bag, 'data', 'report.pdf');
  await renderPdfPage(pdf, 1, 'report-first');
  await renderPdfPage(pdf, await pdfPageCount(pdf), 'report-last');
  const { stdout: cover } = await promisify(execFile)('pdftotext', ['-f', '1', '-l', '1', pdf, '-']);
  expect(cover).toContain(OFFICE);

  // Verify the exported copy: intact, every check passed, signed by this station's key.
  await verifyOnScreen(page, bag);
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  const checks = result.getByTestId('verify-check');
  expect(await checks.count()).toBeGreaterThanOrEqual(8);
  await expect(result.locator('[data-testid="verify-check"][data-ok="false"]')).toHaveCount(0);
  await expect(result.getByTestId('verify-case')).toContainText(number);
  await expect(result.getByTestId('verify-trust')).toHaveAttribute('data-trust', 'station');
  await expect(result.getByTestId('verify-fingerprint')).toHaveText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  await expect(result.getByTestId('verify-no-problems')).toBeVisible();
  await saveScreenshot(page, 'seal-04-verify-pass');

  // One byte of the original changed in the copy: the fixity check fails and names the file.
  const originals = join(bag, 'data', 'originals');
  const [original] = await readdir(originals);
  await tamperByte(join(originals, original!));
  await page.getByTestId('verify-run').click();
  await expect(result).toHaveAttribute('data-ok', 'false', { timeout: 60_000 });
  const changed = result.locator('[data-testid="verify-problem"][data-kind="changed"]');
  await expect(changed).toHaveCount(1);
  await expect(changed).toHaveAttribute('data-path', `data/originals/${original}`);
  await expect(result.locator('[data-testid="verify-check"][data-check="fixity"]')).toHaveAttribute('data-ok', 'false');
  await saveScreenshot(page, 'seal-05-verify-fail');
  await page.getByTestId('locale-en').click();
  await expect(result.getByTestId('verify-verdict')).toContainText('Not intact');
  await saveScreenshot(page, 'seal-05-verify-fail-en');

  // Reopen with a reason: version 2 is a draft; version 1 stays listed and exportable.
  await page.goto(`${webHost.baseURL}/#/cases/${caseId}`);
  await caseView.getByTestId('reopen-open').click();
  const reopen = page.getByTestId('reopen-dialog');
  await expect(reopen.getByTestId('reopen-submit')).toBeDisabled();
  await reopen.getByTestId('reopen-reason').fill(REOPEN_REASON);
  await reopen.getByTestId('reopen-submit').click();
  await expect(reopen).toBeHidden();
  await expect(caseView).toHaveAttribute('data-state', 'draft');
  await expect(caseView.getByTestId('case-draft-version')).toHaveAttribute('data-version', '2');
  await expect(caseView.getByTestId('case-edit')).toBeEnabled();
  await expect(v1.getByTestId('version-reopened')).toContainText(REOPEN_REASON);
  await expect(v1.getByTestId('version-export')).toBeEnabled();
  await saveScreenshot(page, 'seal-06-reopened-en');

  // Version 1 is still exported exactly as sealed, now as one zip, and the zip verifies.
  await v1.getByTestId('version-export').click();
  await exporter.getByTestId('export-zip').click();
  // The dialog remembers the last target; this export goes elsewhere.
  await expect(exporter.getByTestId('export-target')).toHaveValue(medium);
  await exporter.getByTestId('export-target').fill(mediumZip);
  await exporter.getByTestId('export-start').click();
  await expect(exporter.getByTestId('export-done').or(exporter.getByTestId('error-banner'))).toBeVisible({
    timeout: 120_000,
  });
  await expect(exporter.getByTestId('error-banner')).toHaveCount(0);
  const zip = (await exporter.getByTestId('export-path').textContent())!;
  expect(zip).toBe(join(mediumZip, `${number}-v1.zip`));
  await exporter.getByTestId('export-close').click();
  await verifyOnScreen(page, zip);
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 60_000 });
  await expect(result.getByTestId('verify-case')).toContainText(`${number}, version 1`);
  await saveScreenshot(page, 'seal-07-verify-zip-en');

  // The list shows the version beside the state.
  await page.getByTestId('nav-cases').click();
  await expect(
    page.locator(`[data-testid="case-row"][data-case-id="${caseId}"]`).getByTestId('case-row-version'),
  ).toHaveAttribute('data-version', '2');

  expect(errors).toEqual([]);
});
