/**
 * Geometry of a case's time axis, kept free of React so it can be tested on its own: where the
 * axis starts and ends, which ticks it shows, and which lane each item goes in so that no item
 * covers another. Times are epoch milliseconds; positions are pixels from the axis' left edge.
 */

export interface AxisEntry {
  id: string;
  startMs: number;
  /** Null for a point on the axis (a photo or a still). */
  endMs: number | null;
}

export interface Axis {
  startMs: number;
  endMs: number;
  widthPx: number;
}

export interface PlacedEntry {
  id: string;
  lane: number;
  leftPx: number;
  widthPx: number;
  point: boolean;
}

export interface Tick {
  atMs: number;
  leftPx: number;
  /** The first tick of the axis and the first of each new local day carry the date. */
  showsDate: boolean;
}

/** Space kept on both sides of the evidence, as a share of its span, so edge items stay readable. */
const PAD_SHARE = 0.04;
/** An axis around a single instant still needs a width; one minute either side reads naturally. */
const LONE_INSTANT_PAD_MS = 60_000;
/** Bars never shrink below this, so a one-second clip on a day-long axis stays visible and clickable. */
export const MIN_BAR_PX = 8;
/** A point's marker is drawn this wide, centred on its instant. */
export const POINT_PX = 12;
/** Horizontal room left free between neighbours in one lane. */
const LANE_GAP_PX = 4;
/** About this many pixels between ticks, so labels like `2026-03-01 09:30:00` never collide. */
const TICK_SPACING_PX = 120;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
].map((s) => s * SECOND);

export function axisFor(entries: readonly AxisEntry[], widthPx: number): Axis | null {
  if (entries.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const entry of entries) {
    min = Math.min(min, entry.startMs);
    max = Math.max(max, entry.endMs ?? entry.startMs);
  }
  const span = max - min;
  const pad = span === 0 ? LONE_INSTANT_PAD_MS : span * PAD_SHARE;
  return { startMs: min - pad, endMs: max + pad, widthPx: Math.max(1, widthPx) };
}

export function pixelOf(axis: Axis, atMs: number): number {
  return ((atMs - axis.startMs) / (axis.endMs - axis.startMs)) * axis.widthPx;
}

/**
 * Lanes by first fit in start order: an item goes in the lowest lane whose last item ends (as
 * drawn, minimum widths included) before it starts. Entries keep their input order in the result.
 */
export function placeEntries(axis: Axis, entries: readonly AxisEntry[]): PlacedEntry[] {
  const geometry = entries.map((entry) => {
    const point = entry.endMs === null;
    const start = pixelOf(axis, entry.startMs);
    if (point) return { id: entry.id, point, leftPx: start - POINT_PX / 2, widthPx: POINT_PX };
    const width = Math.max(MIN_BAR_PX, pixelOf(axis, entry.endMs ?? entry.startMs) - start);
    return { id: entry.id, point, leftPx: start, widthPx: width };
  });
  const order = geometry.map((_, index) => index).sort((a, b) => geometry[a]!.leftPx - geometry[b]!.leftPx);
  const laneEnds: number[] = [];
  const lanes = new Array<number>(geometry.length);
  for (const index of order) {
    const g = geometry[index]!;
    let lane = laneEnds.findIndex((end) => end + LANE_GAP_PX <= g.leftPx);
    if (lane === -1) lane = laneEnds.length;
    laneEnds[lane] = g.leftPx + g.widthPx;
    lanes[index] = lane;
  }
  return geometry.map((g, index) => ({ ...g, lane: lanes[index]! }));
}

/** The smallest step that keeps ticks about TICK_SPACING_PX apart. */
export function tickStepFor(axis: Axis): number {
  const wanted = ((axis.endMs - axis.startMs) / axis.widthPx) * TICK_SPACING_PX;
  return TICK_STEPS_MS.find((step) => step >= wanted) ?? Math.ceil(wanted / (7 * DAY)) * 7 * DAY;
}

/**
 * Ticks on round values of the station's local clock (09:30, not 09:27:41). `offsetMinutesAt`
 * gives the station's UTC offset at an instant (east positive), so ticks follow daylight saving.
 */
export function ticksFor(axis: Axis, offsetMinutesAt: (atMs: number) => number): Tick[] {
  const step = tickStepFor(axis);
  const ticks: Tick[] = [];
  const offsetMs = offsetMinutesAt(axis.startMs) * MINUTE;
  // Round in local time: shift to local, round up to the step, shift back.
  const localStart = axis.startMs + offsetMs;
  let at = Math.ceil(localStart / step) * step - offsetMs;
  let previousDay: number | null = null;
  while (at <= axis.endMs) {
    const day = Math.floor((at + offsetMinutesAt(at) * MINUTE) / DAY);
    ticks.push({ atMs: at, leftPx: pixelOf(axis, at), showsDate: previousDay === null || day !== previousDay });
    previousDay = day;
    at += step;
  }
  return ticks;
}

/** Whether tick labels need seconds: only when ticks are less than a minute apart. */
export function ticksNeedSeconds(axis: Axis): boolean {
  return tickStepFor(axis) < MINUTE;
}
