import { access } from 'node:fs/promises';
import { chromium, type Browser } from '@playwright/test';

/** The system Chromium; the bench never downloads a browser. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Headless Chromium for browser figures, quiet in the background: no update checks, sync or other
 * network chatter competing with the measured requests; autoplay allowed so media elements need
 * no gesture.
 */
export async function launchBenchChromium(): Promise<Browser> {
  await access(CHROMIUM_PATH).catch(() => {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: the browser figures need the system Chromium`);
  });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}
