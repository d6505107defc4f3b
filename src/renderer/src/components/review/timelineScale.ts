import type { FilmstripIndex } from '../../../../shared/schemas';

/**
 * The arithmetic of the timeline: how far it can zoom, which ticks the ruler shows, and which
 * filmstrip tile stands for a time. Pure, so it is tested without a browser.
 */

/** Widest zoom: a frame this many pixels wide, enough to click single frames and read their ticks. */
export const MAX_PX_PER_FRAME = 48;
/** Chromium lays out up to ~33 million pixels; stay well inside it for very long recordings. */
const MAX_CONTENT_PX = 16_000_000;
/** Assumed frame rate for zoom limits of items without frames (audio). */
const FALLBACK_FPS = 25;

export function fitPxPerSec(widthPx: number, durationSec: number): number {
  return durationSec > 0 && widthPx > 0 ? widthPx / durationSec : 1;
}

export function maxPxPerSec(fps: number | null, durationSec: number): number {
  const byFrame = (fps ?? FALLBACK_FPS) * MAX_PX_PER_FRAME;
  return durationSec > 0 ? Math.min(byFrame, MAX_CONTENT_PX / durationSec) : byFrame;
}

export function clampPxPerSec(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

export interface Ticks {
  /** Labelled ticks: times in seconds. */
  major: number[];
  /** Unlabelled ticks between them (every frame at frame zoom). */
  minor: number[];
  stepSec: number;
  /** True when minor ticks are single frames. */
  frameTicks: boolean;
}

/** At least this many pixels between labelled ticks, so `00:00:00.000` labels never touch. */
const MAJOR_MIN_PX = 96;
const MINOR_MIN_PX = 6;
const SECOND_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];
const FRAME_MULTIPLES = [1, 2, 5, 10];

interface Step {
  sec: number;
  /** Frames per step when the step is a whole number of frames below one second. */
  frames: number | null;
}

function candidateSteps(fps: number | null): Step[] {
  const sub: Step[] =
    fps === null
      ? [0.1, 0.2, 0.5].map((sec) => ({ sec, frames: null }))
      : FRAME_MULTIPLES.filter((k) => k / fps < 1).map((k) => ({ sec: k / fps, frames: k }));
  return [...sub, ...SECOND_STEPS.map((sec) => ({ sec, frames: null }))];
}

/** Ruler ticks for the visible span [startSec, endSec]. */
export function chooseTicks(startSec: number, endSec: number, pxPerSec: number, fps: number | null): Ticks {
  const steps = candidateSteps(fps);
  const major = steps.find((s) => s.sec * pxPerSec >= MAJOR_MIN_PX) ?? steps[steps.length - 1]!;
  const minorCandidates = steps.filter((s) => s.sec < major.sec && s.sec * pxPerSec >= MINOR_MIN_PX);
  // Prefer the finest minor step that divides the major one evenly.
  const minor = minorCandidates.find((s) => isMultiple(major.sec, s.sec)) ?? null;
  return {
    major: listTimes(startSec, endSec, major, fps),
    minor: minor ? listTimes(startSec, endSec, minor, fps).filter((t) => !isMultiple(t, major.sec)) : [],
    stepSec: major.sec,
    frameTicks: minor?.frames === 1,
  };
}

function isMultiple(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

function listTimes(startSec: number, endSec: number, step: Step, fps: number | null): number[] {
  const times: number[] = [];
  if (step.frames !== null && fps !== null) {
    // Whole frames, computed from frame numbers so 0.04 × 3 does not drift.
    const first = Math.ceil((startSec * fps) / step.frames - 1e-9);
    const last = Math.floor((endSec * fps) / step.frames + 1e-9);
    for (let i = first; i <= last; i++) times.push((i * step.frames) / fps);
    return times;
  }
  const first = Math.ceil(startSec / step.sec - 1e-9);
  const last = Math.floor(endSec / step.sec + 1e-9);
  for (let i = first; i <= last; i++) times.push(i * step.sec);
  return times;
}

/** Index of the last keyframe at or before `sec` (the first one for times before it); -1 when there are none. */
export function keyframeIndexAtOrBefore(timesSec: readonly number[], sec: number): number {
  if (timesSec.length === 0) return -1;
  let lo = 0;
  let hi = timesSec.length - 1;
  if (sec < timesSec[0]!) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (timesSec[mid]! <= sec + 1e-6) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The keyframe before (-1) or after (+1) `sec`; a keyframe within `toleranceSec` of `sec` is the
 * one on screen and does not count. Null when there is none that way.
 */
export function neighbourKeyframe(
  timesSec: readonly number[],
  sec: number,
  toleranceSec: number,
  direction: -1 | 1,
): number | null {
  if (timesSec.length === 0) return null;
  if (direction < 0) {
    const before = timesSec[keyframeIndexAtOrBefore(timesSec, sec - toleranceSec)]!;
    return before < sec - toleranceSec ? before : null;
  }
  if (sec + toleranceSec < timesSec[0]!) return timesSec[0]!;
  return timesSec[keyframeIndexAtOrBefore(timesSec, sec + toleranceSec) + 1] ?? null;
}

export interface TilePosition {
  sheet: number;
  column: number;
  row: number;
}

/** Where tile i sits: sheets of columns × rows tiles, left to right then top to bottom. */
export function tilePosition(strip: Pick<FilmstripIndex, 'columns' | 'rows'>, index: number): TilePosition {
  const perSheet = strip.columns * strip.rows;
  const within = index % perSheet;
  return {
    sheet: Math.floor(index / perSheet),
    column: within % strip.columns,
    row: Math.floor(within / strip.columns),
  };
}

/** Visible slots of the filmstrip track: each slot shows the keyframe at or before its start. */
export function filmstripSlots(
  timesSec: readonly number[],
  slotWidthPx: number,
  pxPerSec: number,
  fromPx: number,
  toPx: number,
  contentWidthPx: number,
): Array<{ slot: number; leftPx: number; widthPx: number; tile: number }> {
  if (timesSec.length === 0 || slotWidthPx <= 0) return [];
  const first = Math.max(0, Math.floor(fromPx / slotWidthPx));
  const last = Math.floor(Math.min(toPx, contentWidthPx - 1) / slotWidthPx);
  const slots = [];
  for (let slot = first; slot <= last; slot++) {
    const leftPx = slot * slotWidthPx;
    slots.push({
      slot,
      leftPx,
      widthPx: Math.min(slotWidthPx, contentWidthPx - leftPx),
      tile: keyframeIndexAtOrBefore(timesSec, leftPx / pxPerSec),
    });
  }
  return slots;
}
