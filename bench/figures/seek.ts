import { createReadStream } from 'node:fs';
import type { Browser } from '@playwright/test';
import { launchBenchChromium } from '../lib/chromium';
import type { FigureContext } from '../lib/context';
import { MIB, formatMs, formatRatio } from '../lib/format';
import { probeRanges, type RangeProbe } from '../lib/rangeProbe';
import { verdictOf, type FigureReport, type Row } from '../lib/report';
import { ensureReviewSource, type ReviewSource } from '../lib/reviewSource';
import {
  allowCompiledFunctions,
  runSeeksInPage,
  watchMediaRequests,
  type MediaRequestLog,
  type SeekSample,
} from '../lib/seekInPage';
import { SEEK_KINDS, SEEK_KIND_LABELS, planSeeks, warmUpSec, type SeekTarget } from '../lib/seekPlan';
import { startSeekServers, type SeekSide } from '../lib/seekServers';
import { median, percentile } from '../lib/stats';

const TARGET_RATIO = 1.2;
const SEEK_SEED = 20260301;
const SEEK_TIMEOUT_MS = 30_000;
export const SEEK_TITLE = 'Figure 5: seek latency in Chromium, web host vs a plain static file server';

/** The stored copy of the recording (the source itself is cached in .bench/cache) plus slack. */
export function seekNeedBytes(quick: boolean): number {
  return (quick ? 64 : 640) * MIB + 256 * MIB;
}

type SideKey = 'host' | 'baseline';

interface SideRun {
  side: SideKey;
  pair: number;
  samples: SeekSample[];
  metadataMs: number;
  requests: MediaRequestLog;
}

/** One run: a fresh browser context (empty HTTP and media caches), the page, the whole seek plan. */
async function runSide(
  browser: Browser,
  side: SeekSide,
  plan: readonly SeekTarget[],
  warmUp: number,
): Promise<Omit<SideRun, 'side' | 'pair'>> {
  const context = await browser.newContext({ viewport: { width: 800, height: 450 } });
  try {
    await allowCompiledFunctions(context);
    const page = await context.newPage();
    const requests = watchMediaRequests(page, new URL(side.mediaUrl).pathname);
    await page.goto(side.pageUrl);
    const run = await runSeeksInPage(page, {
      src: side.mediaUrl,
      warmUpSec: warmUp,
      targetsSec: plan.map((t) => t.sec),
      timeoutMs: SEEK_TIMEOUT_MS,
    });
    if (requests.badStatuses.length) throw new Error(`${side.label} answered ${requests.badStatuses.join(', ')}`);
    return { samples: run.samples, metadataMs: run.metadataMs, requests };
  } finally {
    await context.close();
  }
}

/** Reads the stored copy once, untimed: it was written with direct I/O, so it is not in the page cache yet. */
async function warmPageCache(path: string): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * MIB })) void chunk;
}

/** Seeks that showed the frame asked for: `currentTime` kept and the presented frame's index matches. */
function countLanded(samples: readonly SeekSample[], plan: readonly SeekTarget[], fps: number): number {
  return samples.filter((s, i) => {
    const frame = Math.floor(plan[i]!.sec * fps);
    return s.frameMediaTime !== null && Math.round(s.frameMediaTime * fps) === frame;
  }).length;
}

interface SideStats {
  seeked: number[];
  frames: number[];
  missingFrames: number;
  landed: number;
  requests: number;
  aborted: number;
  ttfb: number[];
}

function summarise(runs: readonly SideRun[], plan: readonly SeekTarget[], source: ReviewSource): SideStats {
  const samples = runs.flatMap((r) => r.samples);
  return {
    seeked: samples.map((s) => s.seekedMs),
    frames: samples.flatMap((s) => (s.frameMs === null ? [] : [s.frameMs])),
    missingFrames: samples.filter((s) => s.frameMs === null).length,
    landed: runs.reduce((n, r) => n + countLanded(r.samples, plan, source.fps), 0),
    requests: runs.reduce((n, r) => n + r.requests.ranges.length, 0),
    aborted: runs.reduce((n, r) => n + r.requests.aborted, 0),
    ttfb: runs.flatMap((r) => r.requests.ttfbMs),
  };
}

const medianAndP95 = (values: readonly number[]): string =>
  `${formatMs(median(values))} (p95 ${formatMs(percentile(values, 95))})`;

export async function runSeek(ctx: FigureContext): Promise<FigureReport> {
  const source = await ensureReviewSource(ctx.tools, { quick: ctx.quick, say: ctx.say });
  const pairs = ctx.quick ? 2 : 3;
  const count = ctx.quick ? 20 : 40;
  const planSpec = { ...source, count, seed: SEEK_SEED };
  const plan = planSeeks(planSpec);
  const warmUp = warmUpSec(planSpec);

  ctx.say('figure 5: importing the recording into a bench station and starting both servers');
  const servers = await startSeekServers(ctx.dir, source.path);
  const runs: SideRun[] = [];
  const probes: RangeProbe[] = [];
  let browser: Browser | undefined;
  try {
    await warmPageCache(servers.storedPath);
    browser = await launchBenchChromium();
    for (let pair = 0; pair < pairs; pair++) {
      // Swapping who goes first in every pair (ABBA…) keeps any drift from favouring one side.
      const order: SideKey[] = pair % 2 === 0 ? ['host', 'baseline'] : ['baseline', 'host'];
      for (const side of order) {
        ctx.say(`figure 5: pair ${pair + 1}/${pairs}: ${servers[side].label}, ${count} seeks`);
        runs.push({ side, pair, ...(await runSide(browser, servers[side], plan, warmUp)) });
      }
    }
    ctx.say('figure 5: range requests without a browser');
    for (const side of ['baseline', 'host'] as const) {
      probes.push(await probeRanges(servers[side], servers.storedPath, 64 * 1024, ctx.quick ? 50 : 200));
    }
  } finally {
    await browser?.close();
    await servers.close();
  }

  const host = summarise(
    runs.filter((r) => r.side === 'host'),
    plan,
    source,
  );
  const base = summarise(
    runs.filter((r) => r.side === 'baseline'),
    plan,
    source,
  );
  const ratio = median(host.seeked) / median(base.seeked);
  const p95Ratio = percentile(host.seeked, 95) / percentile(base.seeked, 95);
  const frameRatio = median(host.frames) / median(base.frames);
  const perSide = `${count} seeks × ${pairs} runs`;
  const info = (measure: string, measured: string, ratioText = '—'): Row => ({
    measure,
    target: '—',
    measured,
    ratio: ratioText,
    verdict: 'INFO',
  });

  return {
    id: 'seek',
    title: SEEK_TITLE,
    rows: [
      info(`static server: seek → seeked, median (p95) of ${perSide}`, medianAndP95(base.seeked)),
      info(`web host: seek → seeked, median (p95) of ${perSide}`, medianAndP95(host.seeked)),
      {
        measure: 'web host / static server, median seek → seeked',
        target: `≤ ${formatRatio(TARGET_RATIO)}`,
        measured: formatRatio(ratio),
        ratio: `${(ratio / TARGET_RATIO).toFixed(2)} of target`,
        verdict: verdictOf(ratio, TARGET_RATIO, 'atMost'),
      },
      info('web host / static server, p95 seek → seeked', formatRatio(p95Ratio)),
      info(
        'seek → frame presented (requestVideoFrameCallback), median: static / host',
        `${formatMs(median(base.frames))} / ${formatMs(median(host.frames))}`,
        formatRatio(frameRatio),
      ),
    ],
    tables: [
      {
        title: 'Runs (fresh browser context each; the first side alternates per pair)',
        headers: ['Pair', 'Side', 'Metadata', 'Seeked median', 'Seeked p95', 'Frame median', 'Requests (aborted)'],
        rows: runs.map((r) => [
          String(r.pair + 1),
          servers[r.side].label,
          formatMs(r.metadataMs),
          formatMs(median(r.samples.map((s) => s.seekedMs))),
          formatMs(
            percentile(
              r.samples.map((s) => s.seekedMs),
              95,
            ),
          ),
          formatMs(median(r.samples.flatMap((s) => (s.frameMs === null ? [] : [s.frameMs])))),
          `${r.requests.ranges.length} (${r.requests.aborted})`,
        ]),
      },
      {
        title: 'Seek → seeked by kind of seek, median over all runs',
        headers: ['Kind', 'Seeks per run', 'Static server', 'Web host', 'Host / static'],
        rows: SEEK_KINDS.map((kind) => {
          const pick = (side: SideKey): number[] =>
            runs
              .filter((r) => r.side === side)
              .flatMap((r) => r.samples.filter((_, i) => plan[i]!.kind === kind).map((s) => s.seekedMs));
          const [b, h] = [median(pick('baseline')), median(pick('host'))];
          return [
            SEEK_KIND_LABELS[kind],
            String(plan.filter((t) => t.kind === kind).length),
            formatMs(b),
            formatMs(h),
            formatRatio(h / b),
          ];
        }),
      },
      {
        title: 'What the player asked of each server, all runs',
        headers: ['Side', 'Media requests', 'Aborted by the player', 'Time to first byte, median (p95)'],
        rows: (['baseline', 'host'] as const).map((side) => {
          const s = side === 'host' ? host : base;
          return [servers[side].label, String(s.requests), String(s.aborted), medianAndP95(s.ttfb)];
        }),
      },
      {
        title: 'Sequential 64 KiB range requests from Node (no browser), one kept-alive connection',
        headers: ['Side', 'Median', 'p95'],
        rows: probes.map((p) => [p.label, formatMs(p.medianMs), formatMs(p.p95Ms)]),
      },
    ],
    notes: [
      `Recording: ${source.durationSec / 60} min ${source.width}×${source.height} at ${source.fps} fps, H.264 High with B-frames, a keyframe every ${source.keyframeIntervalSec} s, AAC, faststart; imported into a bench station, and both sides serve the station's stored copy (one file, one page cache), read once untimed beforehand.`,
      `Web host: the real \`startWebHost\` with its token cookie, CSP and \`Cache-Control: private, no-store\`; every media request checks the session through the engine (\`/media/<id>/play?s=<session>\`). Static server: Node \`http\` + \`fs.createReadStream\` with single-range 206 answers, no auth, no cache headers. Same Node process, so neither has its own core.`,
      `Headless Chromium (system /usr/bin/chromium, GPU off), muted paused <video> on a page from the same origin; one untimed warm-up seek per page; the same ${count} seeded seeks (seed ${SEEK_SEED}) every run, timed in the page with performance.now() from setting currentTime to \`seeked\` and to the next requestVideoFrameCallback.`,
      `Where the time goes: a seek is mostly Chromium demuxing and decoding from the keyframe before the target in software; the servers differ by ${formatMs(median(host.ttfb) - median(base.ttfb))} in median time to first byte, against a median seek of ${formatMs(median(base.seeked))}. On two shared cores the run-to-run spread of a side's median is larger than that difference, so the ratio wanders around 1 from run to run.`,
      `Seeks that presented exactly the requested frame: static ${base.landed}/${base.seeked.length}, host ${host.landed}/${host.seeked.length}; seeks with no frame callback within 2 s: static ${base.missingFrames}, host ${host.missingFrames}.`,
    ],
    data: {
      pairs,
      seeksPerRun: count,
      seed: SEEK_SEED,
      plan,
      runs: runs.map((r) => ({
        side: r.side,
        pair: r.pair,
        metadataMs: r.metadataMs,
        seekedMs: r.samples.map((s) => s.seekedMs),
        frameMs: r.samples.map((s) => s.frameMs),
        frameMediaTime: r.samples.map((s) => s.frameMediaTime),
        ranges: r.requests.ranges,
        aborted: r.requests.aborted,
        ttfbMs: r.requests.ttfbMs,
      })),
      baselineMedianMs: median(base.seeked),
      baselineP95Ms: percentile(base.seeked, 95),
      hostMedianMs: median(host.seeked),
      hostP95Ms: percentile(host.seeked, 95),
      ratio,
      p95Ratio,
      frameRatio,
      target: { medianRatioAtMost: TARGET_RATIO },
      pass: ratio <= TARGET_RATIO,
      rangeProbes: probes,
    },
  };
}
