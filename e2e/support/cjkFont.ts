import { join } from 'node:path';
import type { Page } from '@playwright/test';

/**
 * The test machine has no CJK system font, so Chinese would render as boxes in screenshots. The
 * page gets the Noto Sans SC the report embeds, served by Playwright under a name the station's
 * font stack already lists; the app itself is unchanged. (As seal.spec.ts does for its own pages.)
 */
const CJK_FONT = join(
  import.meta.dirname,
  '..',
  '..',
  'node_modules',
  '@expo-google-fonts',
  'noto-sans-sc',
  '400Regular',
  'NotoSansSC_400Regular.ttf',
);
const CJK_FONT_URL = '/__e2e__/noto-sans-sc.ttf';

/** Makes Chinese readable in screenshots, on every document the page loads. */
export async function useCjkFont(page: Page): Promise<void> {
  await page.route(`**${CJK_FONT_URL}`, (route) => route.fulfill({ path: CJK_FONT, contentType: 'font/ttf' }));
  await page.addInitScript((url) => {
    const style = document.createElement('style');
    style.textContent = `@font-face { font-family: 'Noto Sans CJK SC'; src: url('${url}') format('truetype'); }`;
    document.addEventListener('DOMContentLoaded', () => document.head.append(style));
  }, CJK_FONT_URL);
}
