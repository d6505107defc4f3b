import type { BrowserContext, Page } from '@playwright/test';

/**
 * The page side of the seek figure: a bare `<video>` (muted, paused) that is given a source, and a
 * loop timed with the page's own clock from setting `currentTime` to `seeked`, and to the first
 * frame presented after it (`requestVideoFrameCallback`).
 */

/** The page both servers hand out: nothing but the element, sized so frames are really composited. */
export const SEEK_PAGE_HTML =
  '<!doctype html><html><head><meta charset="utf-8"><title>seek bench</title></head>' +
  '<body style="margin:0;background:#000"><video muted playsinline preload="auto" width="640" height="360"></video></body></html>';

export interface SeekSample {
  /** Setting `currentTime` → the `seeked` event. */
  seekedMs: number;
  /** Setting `currentTime` → the callback of the first frame presented after it; null if none came. */
  frameMs: number | null;
  /** `currentTime` at `seeked`, and the presented frame's media time, to check the seek landed. */
  currentTime: number;
  frameMediaTime: number | null;
}

export interface PageSeekRun {
  samples: SeekSample[];
  /** Time from setting `src` to `loadedmetadata`. */
  metadataMs: number;
  durationSec: number;
}

/**
 * The part of HTMLVideoElement the page code uses. The bench compiles without the DOM library
 * (a reference to it would leak DOM globals into every Node file), so the page code says what it needs.
 */
interface PageVideo {
  src: string;
  currentTime: number;
  readonly duration: number;
  readonly error: { code: number; message: string } | null;
  addEventListener(event: string, listener: () => void): void;
  removeEventListener(event: string, listener: () => void): void;
  requestVideoFrameCallback(callback: (now: number, meta: { mediaTime: number }) => void): number;
  cancelVideoFrameCallback(handle: number): void;
}

interface PageGlobals {
  document: { querySelector(selector: 'video'): PageVideo | null };
}

/**
 * tsx compiles with esbuild's keepNames, which wraps local functions in a `__name(...)` helper that
 * exists only in Node; functions handed to the page would throw without this stand-in.
 */
export async function allowCompiledFunctions(context: BrowserContext): Promise<void> {
  await context.addInitScript({ content: 'globalThis.__name = (fn) => fn;' });
}

export async function runSeeksInPage(
  page: Page,
  opts: { src: string; warmUpSec: number; targetsSec: number[]; timeoutMs: number },
): Promise<PageSeekRun> {
  return page.evaluate(async ({ src, warmUpSec, targetsSec, timeoutMs }) => {
    const video = (globalThis as unknown as PageGlobals).document.querySelector('video');
    if (!video) throw new Error('the seek page has no <video>');
    const once = (event: string): Promise<void> =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no ${event} within ${timeoutMs} ms (at ${video.currentTime} s)`));
        }, timeoutMs);
        const onEvent = (): void => {
          cleanup();
          resolve();
        };
        const onError = (): void => {
          cleanup();
          reject(new Error(`media error ${video.error?.code ?? '?'}: ${video.error?.message ?? ''}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          video.removeEventListener(event, onEvent);
          video.removeEventListener('error', onError);
        };
        video.addEventListener(event, onEvent);
        video.addEventListener('error', onError);
      });

    const seek = async (sec: number) => {
      let frameAt: number | null = null;
      let frameMediaTime: number | null = null;
      let frameSeen: () => void = () => undefined;
      const framed = new Promise<void>((resolve) => {
        frameSeen = resolve;
      });
      const handle = video.requestVideoFrameCallback((_now, meta) => {
        frameAt = performance.now();
        frameMediaTime = meta.mediaTime;
        frameSeen();
      });
      const seeked = once('seeked');
      const start = performance.now();
      video.currentTime = sec;
      await seeked;
      const seekedAt = performance.now();
      // The frame normally follows `seeked` within a vsync or two; a missing one is reported, not waited for.
      await Promise.race([framed, new Promise((resolve) => setTimeout(resolve, 2000))]);
      video.cancelVideoFrameCallback(handle);
      return {
        seekedMs: seekedAt - start,
        frameMs: frameAt === null ? null : frameAt - start,
        currentTime: video.currentTime,
        frameMediaTime,
      };
    };

    const loaded = once('loadedmetadata');
    const loadStart = performance.now();
    video.src = src;
    await loaded;
    const metadataMs = performance.now() - loadStart;
    await seek(warmUpSec);
    const samples = [];
    for (const sec of targetsSec) samples.push(await seek(sec));
    return { samples, metadataMs, durationSec: video.duration };
  }, opts);
}

export interface MediaRequestLog {
  /** Requests for the media URL, with the Range each asked for. */
  ranges: string[];
  /** Of those, dropped by the player before the body ended (normal when seeking away). */
  aborted: number;
  /** Request sent → first response byte, per answered request, as the browser's network stack saw it. */
  ttfbMs: number[];
  /** Any answer other than 200/206: the figure is void if there is one. */
  badStatuses: number[];
}

/** Notes every request the page makes for URLs containing `mediaPath`. */
export function watchMediaRequests(page: Page, mediaPath: string): MediaRequestLog {
  const log: MediaRequestLog = { ranges: [], aborted: 0, ttfbMs: [], badStatuses: [] };
  page.on('request', (request) => {
    if (request.url().includes(mediaPath)) log.ranges.push(request.headers()['range'] ?? '(none)');
  });
  page.on('response', (response) => {
    if (!response.url().includes(mediaPath)) return;
    if (response.status() !== 200 && response.status() !== 206) log.badStatuses.push(response.status());
    const timing = response.request().timing();
    if (timing.responseStart >= 0 && timing.requestStart >= 0)
      log.ttfbMs.push(timing.responseStart - timing.requestStart);
  });
  page.on('requestfailed', (request) => {
    if (request.url().includes(mediaPath)) log.aborted++;
  });
  return log;
}
