import { describe, expect, it } from 'vitest';
import { axisFor, placeEntries, ticksFor, ticksNeedSeconds, type AxisEntry } from './timelineLayout';

const T0 = Date.UTC(2026, 2, 1, 1, 30, 0);
const s = (seconds: number) => T0 + seconds * 1000;

describe('case time axis layout', () => {
  const entries: AxisEntry[] = [
    { id: 'a', startMs: s(0), endMs: s(60) },
    { id: 'b', startMs: s(30), endMs: s(90) },
    { id: 'photo', startMs: s(45), endMs: null },
    { id: 'c', startMs: s(100), endMs: s(120) },
  ];

  it('spans every item with some room on both sides', () => {
    const axis = axisFor(entries, 1000)!;
    expect(axis.startMs).toBeLessThan(s(0));
    expect(axis.endMs).toBeGreaterThan(s(120));
    expect(axisFor([], 1000)).toBeNull();
    const lone = axisFor([{ id: 'p', startMs: s(0), endMs: null }], 1000)!;
    expect(lone.endMs - lone.startMs).toBe(120_000);
  });

  it('puts overlapping items in separate lanes and reuses a lane once it is free', () => {
    const axis = axisFor(entries, 1000)!;
    const placed = placeEntries(axis, entries);
    const lane = Object.fromEntries(placed.map((p) => [p.id, p.lane]));
    expect(lane).toEqual({ a: 0, b: 1, photo: 2, c: 0 });
    expect(placed.find((p) => p.id === 'photo')!.point).toBe(true);
    // Input order is kept; positions follow time.
    expect(placed.map((p) => p.id)).toEqual(['a', 'b', 'photo', 'c']);
    expect(placed[0]!.leftPx).toBeLessThan(placed[1]!.leftPx);
  });

  it('gives a very short clip a visible width', () => {
    const axis = axisFor([...entries, { id: 'short', startMs: s(110), endMs: s(110.04) }], 1000)!;
    const short = placeEntries(axis, [{ id: 'short', startMs: s(110), endMs: s(110.04) }])[0]!;
    expect(short.widthPx).toBeGreaterThanOrEqual(8);
  });

  it('ticks on round local times, dated at the first tick and at each new local day', () => {
    const plus8 = () => 8 * 60;
    const axis = { startMs: s(-37), endMs: s(125), widthPx: 1000 };
    const ticks = ticksFor(axis, plus8);
    expect(ticks.length).toBeGreaterThan(3);
    const step = ticks[1]!.atMs - ticks[0]!.atMs;
    for (const tick of ticks) expect((tick.atMs + 8 * 3600_000) % step).toBe(0);
    expect(ticks.map((tick) => tick.showsDate)).toEqual(ticks.map((_, i) => i === 0));
    expect(ticksNeedSeconds(axis)).toBe(true);

    // Across local midnight (+08:00): 15:30Z–16:30Z holds 00:00 local of the next day.
    const night = { startMs: Date.UTC(2026, 2, 1, 15, 30), endMs: Date.UTC(2026, 2, 1, 16, 30), widthPx: 600 };
    const nightTicks = ticksFor(night, plus8);
    const midnight = nightTicks.find((tick) => tick.atMs === Date.UTC(2026, 2, 1, 16, 0))!;
    expect(midnight.showsDate).toBe(true);
    expect(nightTicks.filter((tick) => tick.showsDate)).toHaveLength(2);
    expect(ticksNeedSeconds(night)).toBe(false);
  });
});
