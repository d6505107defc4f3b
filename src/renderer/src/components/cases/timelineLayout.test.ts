import { describe, expect, it } from 'vitest';
import { tickContext, tickLabel } from './timelineLabels';
import {
  FINEST_MS_PER_PX,
  MIN_BAR_PX,
  assignLanes,
  barLabel,
  canZoomIn,
  canZoomOut,
  clampView,
  fitView,
  isFitted,
  outsideView,
  panView,
  placeEntries,
  pixelOf,
  tickScaleFor,
  ticksFor,
  zoomView,
  type AxisEntry,
} from './timelineLayout';

const T0 = Date.UTC(2026, 2, 1, 1, 30, 0);
const s = (seconds: number) => T0 + seconds * 1000;
const plus8 = () => 8 * 60;
const utc = () => 0;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('case time axis: the fitted view', () => {
  const entries: AxisEntry[] = [
    { id: 'a', startMs: s(0), endMs: s(60) },
    { id: 'b', startMs: s(30), endMs: s(90) },
    { id: 'photo', startMs: s(45), endMs: null },
    { id: 'c', startMs: s(100), endMs: s(120) },
  ];

  it('spans the evidence from the earliest start to the latest end, with a small margin', () => {
    const fit = fitView(entries)!;
    expect(fit.startMs).toBeLessThan(s(0));
    expect(fit.endMs).toBeGreaterThan(s(120));
    // The margin is small: the evidence fills more than nine tenths of the view.
    expect((s(120) - s(0)) / (fit.endMs - fit.startMs)).toBeGreaterThan(0.9);
    expect(fitView([])).toBeNull();
    const lone = fitView([{ id: 'p', startMs: s(0), endMs: null }])!;
    expect(lone.endMs - lone.startMs).toBe(120_000);
  });

  it('fits a case whose items lie years apart to those items, not to an epoch', () => {
    const fit = fitView([
      { id: 'old', startMs: Date.UTC(2019, 5, 1), endMs: Date.UTC(2019, 5, 1, 0, 1) },
      { id: 'new', startMs: Date.UTC(2026, 2, 1), endMs: null },
    ])!;
    expect(fit.startMs).toBeGreaterThan(Date.UTC(2019, 0, 1));
    expect(fit.endMs).toBeLessThan(Date.UTC(2026, 11, 31));
    const { scale, ticks } = ticksFor({ ...fit, widthPx: 1000 }, utc);
    expect(scale.unit).toBe('year');
    expect(ticks.map((tick) => new Date(tick.atMs).getUTCFullYear())).toEqual([
      2020, 2021, 2022, 2023, 2024, 2025, 2026,
    ]);
  });
});

describe('case time axis: zoom and pan', () => {
  const fit = { startMs: s(0), endMs: s(3600) };
  const width = 1000;

  it('zooms around an anchor instant, which stays where it was on screen', () => {
    const anchor = s(900);
    const zoomed = zoomView(fit, 0.5, anchor, fit, width);
    expect(zoomed.endMs - zoomed.startMs).toBe(1800_000);
    const share = (view: typeof fit) => (anchor - view.startMs) / (view.endMs - view.startMs);
    expect(share(zoomed)).toBeCloseTo(share(fit), 9);
  });

  it('is bounded: one second per 100 px at the finest, the whole evidence at the coarsest', () => {
    let view = fit;
    for (let i = 0; i < 40; i += 1) view = zoomView(view, 0.5, s(1800), fit, width);
    expect(view.endMs - view.startMs).toBe(width * FINEST_MS_PER_PX);
    expect(FINEST_MS_PER_PX * 100).toBe(1000);
    expect(canZoomIn(view, fit, width)).toBe(false);
    expect(canZoomOut(view, fit)).toBe(true);
    for (let i = 0; i < 40; i += 1) view = zoomView(view, 2, s(100), fit, width);
    expect(view).toEqual(fit);
    expect(isFitted(view, fit)).toBe(true);
    expect(canZoomOut(view, fit)).toBe(false);
    // A case shorter than the finest zoom cannot be zoomed in at all.
    const short = { startMs: s(0), endMs: s(3) };
    expect(canZoomIn(short, short, width)).toBe(false);
    expect(zoomView(short, 0.5, s(1), short, width)).toEqual(short);
  });

  it('counts the items a zoomed view leaves out on each side', () => {
    const entries: AxisEntry[] = [
      { id: 'early', startMs: s(10), endMs: s(20) },
      { id: 'across', startMs: s(90), endMs: s(200) },
      { id: 'inside', startMs: s(150), endMs: null },
      { id: 'late', startMs: s(400), endMs: null },
      { id: 'later', startMs: s(500), endMs: s(510) },
    ];
    expect(outsideView({ startMs: s(100), endMs: s(300) }, entries)).toEqual({ before: 1, after: 2 });
    expect(outsideView(fitView(entries)!, entries)).toEqual({ before: 0, after: 0 });
  });

  it('pans inside the evidence only', () => {
    const half = zoomView(fit, 0.5, s(0), fit, width);
    expect(half.startMs).toBe(fit.startMs);
    const right = panView(half, 600_000, fit, width);
    expect(right.startMs).toBe(s(600));
    expect(right.endMs - right.startMs).toBe(half.endMs - half.startMs);
    expect(panView(half, 100 * HOUR, fit, width).endMs).toBe(fit.endMs);
    expect(panView(half, -100 * HOUR, fit, width).startMs).toBe(fit.startMs);
    expect(clampView({ startMs: s(-7200), endMs: s(-3600) }, fit, width)).toEqual({ startMs: s(0), endMs: s(3600) });
  });
});

describe('case time axis: lanes and bars', () => {
  const entries: AxisEntry[] = [
    { id: 'a', startMs: s(0), endMs: s(60) },
    { id: 'b', startMs: s(30), endMs: s(90) },
    { id: 'photo', startMs: s(45), endMs: null },
    { id: 'c', startMs: s(100), endMs: s(120) },
  ];
  const fitAxis = { ...fitView(entries)!, widthPx: 1000 };

  it('puts overlapping items in separate lanes and reuses a lane once it is free', () => {
    const lanes = assignLanes(fitAxis, entries);
    expect(lanes).toEqual([0, 1, 2, 0]);
    const placed = placeEntries(fitAxis, entries, lanes);
    expect(placed.find((p) => p.id === 'photo')!.point).toBe(true);
    // Input order is kept; positions follow time.
    expect(placed.map((p) => p.id)).toEqual(['a', 'b', 'photo', 'c']);
    expect(placed[0]!.leftPx).toBeLessThan(placed[1]!.leftPx);
  });

  it('keeps the fitted lanes free of overlaps at every finer zoom', () => {
    const lanes = assignLanes(fitAxis, entries);
    for (const spanSec of [120, 60, 20, 10]) {
      const axis = { startMs: s(40), endMs: s(40 + spanSec), widthPx: 1000 };
      const placed = placeEntries(axis, entries, lanes).filter((p) => p.visible);
      for (const a of placed) {
        for (const b of placed) {
          if (a === b || a.lane !== b.lane) continue;
          expect(a.leftPx + a.widthPx <= b.leftPx || b.leftPx + b.widthPx <= a.leftPx, `${a.id} ${b.id}`).toBe(true);
        }
      }
    }
  });

  it('gives a very short clip a visible width, and cuts a long bar at the edges of the view', () => {
    const short = { id: 'short', startMs: s(110), endMs: s(110.04) };
    const [placedShort] = placeEntries(fitAxis, [short], [0]);
    expect(placedShort!.widthPx).toBeGreaterThanOrEqual(MIN_BAR_PX);
    const zoomed = { startMs: s(20), endMs: s(40), widthPx: 1000 };
    const [a, , , c] = placeEntries(zoomed, entries, assignLanes(fitAxis, entries));
    expect(a!.visible).toBe(true);
    expect(a!.leftPx).toBeGreaterThanOrEqual(-2);
    expect(a!.leftPx + a!.widthPx).toBeLessThanOrEqual(1002);
    expect(c!.visible).toBe(false);
  });

  it('labels a bar with its name when it fits, else its kind, else nothing', () => {
    expect(barLabel(400, 'cam_a.mp4', 'Video')).toBe('cam_a.mp4');
    expect(barLabel(60, 'GX010042_long_name.MP4', 'Video')).toBe('Video');
    expect(barLabel(50, '执法记录仪录像.mp4', '视频')).toBe('视频');
    expect(barLabel(10, 'cam_a.mp4', 'Video')).toBeNull();
  });
});

describe('case time axis: ticks', () => {
  it('ticks on round local times, carrying the date at the first tick and at each new local day', () => {
    const axis = { startMs: s(-37), endMs: s(125), widthPx: 1000 };
    const { scale, ticks } = ticksFor(axis, plus8);
    expect(scale.unit).toBe('second');
    expect(ticks.length).toBeGreaterThan(3);
    const step = ticks[1]!.atMs - ticks[0]!.atMs;
    for (const tick of ticks) expect((tick.atMs + 8 * HOUR) % step).toBe(0);
    expect(ticks.map((tick) => tick.showsContext)).toEqual(ticks.map((_, i) => i === 0));

    // Across local midnight (+08:00): 15:30Z–16:30Z holds 00:00 local of the next day.
    const night = { startMs: Date.UTC(2026, 2, 1, 15, 30), endMs: Date.UTC(2026, 2, 1, 16, 30), widthPx: 600 };
    const nightTicks = ticksFor(night, plus8);
    expect(nightTicks.scale.unit).toBe('minute');
    const midnight = nightTicks.ticks.find((tick) => tick.atMs === Date.UTC(2026, 2, 1, 16, 0))!;
    expect(midnight.showsContext).toBe(true);
    expect(nightTicks.ticks.filter((tick) => tick.showsContext)).toHaveLength(2);
  });

  it('chooses the scale by zoom: seconds, minutes, hours, days, months, years', () => {
    const at = (spanMs: number) => tickScaleFor({ startMs: T0, endMs: T0 + spanMs, widthPx: 1200 }).unit;
    expect(at(60_000)).toBe('second');
    expect(at(HOUR)).toBe('minute');
    expect(at(DAY)).toBe('hour');
    expect(at(20 * DAY)).toBe('day');
    expect(at(300 * DAY)).toBe('month');
    expect(at(8 * 365 * DAY)).toBe('year');
  });

  it('puts day ticks on local midnights and month ticks on the 1st, in the station zone', () => {
    const days = ticksFor({ startMs: Date.UTC(2026, 1, 20), endMs: Date.UTC(2026, 2, 10), widthPx: 2400 }, plus8);
    expect(days.scale.unit).toBe('day');
    for (const tick of days.ticks) expect((tick.atMs + 8 * HOUR) % DAY).toBe(0);
    const months = ticksFor({ startMs: Date.UTC(2025, 6, 15), endMs: Date.UTC(2026, 5, 15), widthPx: 1200 }, plus8);
    expect(months.scale.unit).toBe('month');
    for (const tick of months.ticks) expect(new Date(tick.atMs + 8 * HOUR).getUTCDate()).toBe(1);
    // The year is said at the first tick and when it changes (January 2026).
    const withYear = months.ticks.filter((tick) => tick.showsContext).map((tick) => tick.atMs + 8 * HOUR);
    expect(withYear.map((local) => new Date(local).getUTCFullYear())).toEqual([2025, 2026]);
    expect(new Date(withYear[1]!).getUTCMonth()).toBe(0);
  });

  it('keeps ticks on round local hours and midnights across a daylight-saving change', () => {
    // New York on 8 March 2026: UTC−5 until 07:00Z, UTC−4 after.
    const switchAt = Date.UTC(2026, 2, 8, 7);
    const newYork = (at: number) => (at < switchAt ? -300 : -240);
    const hours = ticksFor(
      { startMs: Date.UTC(2026, 2, 8, 2), endMs: Date.UTC(2026, 2, 8, 14), widthPx: 1200 },
      newYork,
    );
    expect(hours.scale.unit).toBe('hour');
    for (const tick of hours.ticks) expect((tick.atMs + newYork(tick.atMs) * 60_000) % HOUR).toBe(0);
    const days = ticksFor({ startMs: Date.UTC(2026, 2, 1), endMs: Date.UTC(2026, 2, 20), widthPx: 2400 }, newYork);
    expect(days.scale.unit).toBe('day');
    for (const tick of days.ticks) expect((tick.atMs + newYork(tick.atMs) * 60_000) % DAY).toBe(0);
    expect(days.ticks.map((tick) => tickLabel(tick.atMs, 'day', 'en', newYork))).toContain('9 Mar');
  });

  it('places each tick where its instant is on the axis', () => {
    const axis = { startMs: s(0), endMs: s(3600), widthPx: 900 };
    for (const tick of ticksFor(axis, utc).ticks) expect(tick.leftPx).toBeCloseTo(pixelOf(axis, tick.atMs), 9);
  });
});

describe('case time axis: labels in both languages', () => {
  const at = Date.UTC(2026, 2, 1, 1, 30, 5); // 09:30:05 on Sunday 1 March 2026 at +08:00
  it('reads clock time at second, minute and hour scale, with the day as context', () => {
    expect(tickLabel(at, 'second', 'en', plus8)).toBe('09:30:05');
    expect(tickLabel(at, 'minute', 'zh-CN', plus8)).toBe('09:30');
    expect(tickLabel(at, 'hour', 'en', plus8)).toBe('09:30');
    expect(tickContext(at, 'hour', 'en', plus8)).toBe('Sun 1 Mar 2026');
    expect(tickContext(at, 'second', 'zh-CN', plus8)).toBe('2026年3月1日 周日');
    // The same instant is still the last day of February in UTC.
    expect(tickContext(Date.UTC(2026, 1, 28, 20), 'hour', 'en', utc)).toBe('Sat 28 Feb 2026');
  });

  it('reads days, months and years in each language', () => {
    expect(tickLabel(at, 'day', 'en', plus8)).toBe('1 Mar');
    expect(tickLabel(at, 'day', 'zh-CN', plus8)).toBe('3月1日');
    expect(tickLabel(at, 'month', 'en', plus8)).toBe('Mar');
    expect(tickLabel(at, 'month', 'zh-CN', plus8)).toBe('3月');
    expect(tickContext(at, 'month', 'zh-CN', plus8)).toBe('2026年');
    expect(tickLabel(at, 'year', 'en', plus8)).toBe('2026');
    expect(tickLabel(at, 'year', 'zh-CN', plus8)).toBe('2026年');
    expect(tickContext(at, 'year', 'en', plus8)).toBeNull();
  });
});
