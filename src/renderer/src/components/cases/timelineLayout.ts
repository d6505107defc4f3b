/**
 * Geometry of a case's time axis, kept free of React so it can be tested on its own: the view
 * fitted to the evidence, zoom and pan kept inside it, which ticks a view shows and at what
 * scale, and which lane each item goes in so that no item covers another. Times are epoch
 * milliseconds; positions are pixels from the axis' left edge.
 */

export interface AxisEntry {
  id: string;
  startMs: number;
  /** Null for a point on the axis (a photo or a still). */
  endMs: number | null;
}

/** The stretch of time the axis shows. */
export interface View {
  startMs: number;
  endMs: number;
}

export interface Axis extends View {
  widthPx: number;
}

export interface PlacedEntry {
  id: string;
  lane: number;
  /** Drawn position, clipped to the axis (a bar reaching past an edge is cut at that edge). */
  leftPx: number;
  widthPx: number;
  point: boolean;
  /** Whether any of it is on the axis at this view. */
  visible: boolean;
}

/** The calendar unit ticks step by; it also decides how their labels read. */
export type TickUnit = 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year';

export interface TickScale {
  unit: TickUnit;
  count: number;
}

export interface Tick {
  atMs: number;
  leftPx: number;
  /**
   * The first tick and each tick where the wider context changes (a new local day under
   * clock-time ticks, a new year under day or month ticks) carry that context too.
   */
  showsContext: boolean;
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
/** About this many pixels between ticks, so labels like `09:30:00` or `Sun 1 Mar 2026` never collide. */
const TICK_SPACING_PX = 120;
/** The finest zoom: one second per 100 pixels (a frame-level look belongs to the review workspace). */
export const FINEST_MS_PER_PX = 10;

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNIT_MS: Record<TickUnit, number> = {
  second: SECOND,
  minute: MINUTE,
  hour: HOUR,
  day: DAY,
  month: 30 * DAY,
  year: 365 * DAY,
};
/** Steps that divide their next unit evenly, so ticks fall on round local times (09:30, not 09:27). */
const SCALES: readonly TickScale[] = [
  ...[1, 2, 5, 10, 15, 30].map((count) => ({ unit: 'second' as const, count })),
  ...[1, 2, 5, 10, 15, 30].map((count) => ({ unit: 'minute' as const, count })),
  ...[1, 2, 3, 6, 12].map((count) => ({ unit: 'hour' as const, count })),
  ...[1, 2, 7].map((count) => ({ unit: 'day' as const, count })),
  ...[1, 2, 3, 6].map((count) => ({ unit: 'month' as const, count })),
  ...[1, 2, 5, 10, 20, 50, 100].map((count) => ({ unit: 'year' as const, count })),
];

/** The evidence's span with a small margin: the view the axis opens at and returns to. */
export function fitView(entries: readonly AxisEntry[]): View | null {
  if (entries.length === 0) return null;
  let min = Infinity;
  let max = -Infinity;
  for (const entry of entries) {
    min = Math.min(min, entry.startMs);
    max = Math.max(max, entry.endMs ?? entry.startMs);
  }
  const span = max - min;
  const pad = span === 0 ? LONE_INSTANT_PAD_MS : span * PAD_SHARE;
  return { startMs: min - pad, endMs: max + pad };
}

/** The narrowest and widest span a view may have on an axis this wide. */
export function spanLimits(fit: View, widthPx: number): { minMs: number; maxMs: number } {
  const maxMs = fit.endMs - fit.startMs;
  return { minMs: Math.min(maxMs, Math.max(1, widthPx) * FINEST_MS_PER_PX), maxMs };
}

/** A view with its span within the limits and lying inside the fitted view (no panning into empty years). */
export function clampView(view: View, fit: View, widthPx: number): View {
  const { minMs, maxMs } = spanLimits(fit, widthPx);
  const span = Math.min(maxMs, Math.max(minMs, view.endMs - view.startMs));
  const centre = (view.startMs + view.endMs) / 2;
  const start = Math.min(fit.endMs - span, Math.max(fit.startMs, centre - span / 2));
  return { startMs: start, endMs: start + span };
}

/**
 * Zoom by `factor` (below 1 zooms in) keeping the instant `anchorMs` where it is on screen, the
 * way a map zooms around the pointer; then clamped.
 */
export function zoomView(view: View, factor: number, anchorMs: number, fit: View, widthPx: number): View {
  const { minMs, maxMs } = spanLimits(fit, widthPx);
  const span = view.endMs - view.startMs;
  const next = Math.min(maxMs, Math.max(minMs, span * factor));
  const share = span > 0 ? (anchorMs - view.startMs) / span : 0.5;
  const start = anchorMs - share * next;
  return clampView({ startMs: start, endMs: start + next }, fit, widthPx);
}

export function panView(view: View, deltaMs: number, fit: View, widthPx: number): View {
  return clampView({ startMs: view.startMs + deltaMs, endMs: view.endMs + deltaMs }, fit, widthPx);
}

export function canZoomIn(view: View, fit: View, widthPx: number): boolean {
  return view.endMs - view.startMs > spanLimits(fit, widthPx).minMs + 0.5;
}

export function canZoomOut(view: View, fit: View): boolean {
  return view.endMs - view.startMs < fit.endMs - fit.startMs - 0.5;
}

export function isFitted(view: View, fit: View): boolean {
  return Math.abs(view.startMs - fit.startMs) < 0.5 && Math.abs(view.endMs - fit.endMs) < 0.5;
}

/** How many items lie wholly before and wholly after the view, so a zoomed axis says what it hides. */
export function outsideView(view: View, entries: readonly AxisEntry[]): { before: number; after: number } {
  let before = 0;
  let after = 0;
  for (const entry of entries) {
    if ((entry.endMs ?? entry.startMs) < view.startMs) before += 1;
    else if (entry.startMs > view.endMs) after += 1;
  }
  return { before, after };
}

export function pixelOf(axis: Axis, atMs: number): number {
  return ((atMs - axis.startMs) / (axis.endMs - axis.startMs)) * axis.widthPx;
}

export function instantAt(axis: Axis, px: number): number {
  return axis.startMs + (px / axis.widthPx) * (axis.endMs - axis.startMs);
}

interface Geometry {
  id: string;
  point: boolean;
  leftPx: number;
  widthPx: number;
}

function geometryOf(axis: Axis, entry: AxisEntry): Geometry {
  const point = entry.endMs === null;
  const start = pixelOf(axis, entry.startMs);
  if (point) return { id: entry.id, point, leftPx: start - POINT_PX / 2, widthPx: POINT_PX };
  const width = Math.max(MIN_BAR_PX, pixelOf(axis, entry.endMs ?? entry.startMs) - start);
  return { id: entry.id, point, leftPx: start, widthPx: width };
}

/**
 * Lanes by first fit in start order: an item goes in the lowest lane whose last item ends (as
 * drawn, minimum widths included) before it starts. Packed on the fitted (widest) axis: items
 * apart there stay apart at every finer zoom, so lanes hold still while the officer zooms.
 */
export function assignLanes(fitAxis: Axis, entries: readonly AxisEntry[]): number[] {
  const geometry = entries.map((entry) => geometryOf(fitAxis, entry));
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
  return lanes;
}

/** Each entry drawn on `axis` in its lane; entries keep their input order in the result. */
export function placeEntries(axis: Axis, entries: readonly AxisEntry[], lanes: readonly number[]): PlacedEntry[] {
  return entries.map((entry, index) => {
    const g = geometryOf(axis, entry);
    const right = g.leftPx + g.widthPx;
    const visible = right >= 0 && g.leftPx <= axis.widthPx;
    // Bars are cut a little outside the edges so their ends do not show as if the recording stopped there.
    const left = g.point ? g.leftPx : Math.max(-2, g.leftPx);
    const width = g.point ? g.widthPx : Math.max(0, Math.min(axis.widthPx + 2, right) - left);
    return { id: g.id, point: g.point, leftPx: left, widthPx: width, visible, lane: lanes[index] ?? 0 };
  });
}

/** The finest scale that keeps ticks about TICK_SPACING_PX apart. */
export function tickScaleFor(axis: Axis): TickScale {
  const wanted = ((axis.endMs - axis.startMs) / axis.widthPx) * TICK_SPACING_PX;
  return (
    SCALES.find((scale) => UNIT_MS[scale.unit] * scale.count >= wanted) ?? {
      unit: 'year',
      count: Math.ceil(wanted / UNIT_MS.year / 100) * 100,
    }
  );
}

/** A local wall-clock reading as if it were UTC (the station's clock, offset applied). */
type LocalMs = number;

function toLocal(atMs: number, offsetMinutesAt: (atMs: number) => number): LocalMs {
  return atMs + offsetMinutesAt(atMs) * MINUTE;
}

/** The instant a local wall-clock reading names (the offset looked up twice for daylight saving's edges). */
function fromLocal(local: LocalMs, offsetMinutesAt: (atMs: number) => number): number {
  const guess = local - offsetMinutesAt(local) * MINUTE;
  return local - offsetMinutesAt(guess) * MINUTE;
}

/** The first round local time of `scale` at or after `local`. */
function firstTick(local: LocalMs, scale: TickScale): LocalMs {
  const d = new Date(local);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (scale.unit) {
    case 'year': {
      const year = Math.ceil(y / scale.count) * scale.count;
      const start = Date.UTC(year, 0, 1);
      return start >= local ? start : Date.UTC(year + scale.count, 0, 1);
    }
    case 'month': {
      const start = Date.UTC(y, m, 1);
      return start >= local ? start : Date.UTC(y, m + 1, 1);
    }
    case 'day': {
      const start = Date.UTC(y, m, d.getUTCDate());
      return start >= local ? start : start + DAY;
    }
    default: {
      const step = UNIT_MS[scale.unit] * scale.count;
      return Math.ceil(local / step) * step;
    }
  }
}

function nextTick(local: LocalMs, scale: TickScale): LocalMs {
  const d = new Date(local);
  switch (scale.unit) {
    case 'year':
      return Date.UTC(d.getUTCFullYear() + scale.count, 0, 1);
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    case 'day':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    default:
      return local + UNIT_MS[scale.unit] * scale.count;
  }
}

/** Whether a local day or month start is one of this scale's ticks (every 7th day from the 1st, …). */
function onScale(local: LocalMs, scale: TickScale): boolean {
  const d = new Date(local);
  if (scale.unit === 'month') return d.getUTCMonth() % scale.count === 0;
  if (scale.unit !== 'day' || scale.count === 1) return true;
  const day = d.getUTCDate();
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  // Counting restarts each month; a last tick too near the next month's 1st is left out.
  return (day - 1) % scale.count === 0 && (day === 1 || day - 1 + scale.count <= daysInMonth);
}

/** The wider context a tick's label may carry: a local day under clock ticks, a year above them. */
function contextKey(local: LocalMs, unit: TickUnit): number {
  const d = new Date(local);
  if (unit === 'day' || unit === 'month') return d.getUTCFullYear();
  if (unit === 'year') return 0;
  return Math.floor(local / DAY);
}

/**
 * Ticks on round values of the station's local clock and calendar (09:30, the 1st of a month).
 * `offsetMinutesAt` gives the station's UTC offset at an instant (east positive), so ticks follow
 * daylight saving.
 */
export function ticksFor(axis: Axis, offsetMinutesAt: (atMs: number) => number): { scale: TickScale; ticks: Tick[] } {
  const scale = tickScaleFor(axis);
  const ticks: Tick[] = [];
  let previous: number | null = null;
  // A generous bound: never more ticks than pixels, whatever a pathological zone table says.
  for (
    let local = firstTick(toLocal(axis.startMs, offsetMinutesAt), scale);
    ticks.length <= axis.widthPx;
    local = nextTick(local, scale)
  ) {
    const at = fromLocal(local, offsetMinutesAt);
    if (at > axis.endMs) break;
    if (at < axis.startMs || !onScale(local, scale)) continue;
    const context = contextKey(local, scale.unit);
    ticks.push({ atMs: at, leftPx: pixelOf(axis, at), showsContext: previous === null || context !== previous });
    previous = context;
  }
  return { scale, ticks };
}

/** Rough width of a label in the axis' 11 px font: wide CJK glyphs, narrower Latin ones. */
export function labelWidthPx(text: string): number {
  let width = 12;
  for (const char of text) width += /[\u2E80-\u9FFF\uAC00-\uD7AF\uFF00-\uFFEF]/.test(char) ? 11 : 6.6;
  return width;
}

/** What a bar can say in the room it has: the item's name, else its kind, else nothing (its tooltip still does). */
export function barLabel(widthPx: number, name: string, kind: string): string | null {
  if (labelWidthPx(name) <= widthPx) return name;
  if (labelWidthPx(kind) <= widthPx) return kind;
  return null;
}
