import { describe, expect, it } from 'vitest';
import {
  chooseTicks,
  filmstripSlots,
  keyframeIndexAtOrBefore,
  maxPxPerSec,
  neighbourKeyframe,
  tilePosition,
} from './timelineScale';

describe('chooseTicks', () => {
  it('labels ten-minute steps on a whole two-hour recording and keeps labels apart', () => {
    const ticks = chooseTicks(0, 7200, 1200 / 7200, 25);
    expect(ticks.stepSec).toBe(600);
    expect(ticks.major).toHaveLength(13);
    expect(ticks.frameTicks).toBe(false);
  });

  it('shows every frame when a frame is wide enough', () => {
    const ticks = chooseTicks(10, 11, 25 * 20, 25);
    expect(ticks.frameTicks).toBe(true);
    expect(ticks.stepSec).toBeCloseTo(0.2);
    // 26 frame ticks from 10.00 s to 11.00 s, 6 of them labelled.
    expect(ticks.major).toHaveLength(6);
    expect(ticks.minor).toHaveLength(20);
    expect(ticks.minor[0]).toBeCloseTo(10.04);
  });
});

describe('keyframeIndexAtOrBefore', () => {
  const times = [0, 2, 4, 6];
  it('finds the keyframe at or before a time', () => {
    expect(keyframeIndexAtOrBefore(times, 0)).toBe(0);
    expect(keyframeIndexAtOrBefore(times, 3.99)).toBe(1);
    expect(keyframeIndexAtOrBefore(times, 4)).toBe(2);
    expect(keyframeIndexAtOrBefore(times, 100)).toBe(3);
    expect(keyframeIndexAtOrBefore([], 1)).toBe(-1);
  });
});

describe('neighbourKeyframe', () => {
  const times = [0, 1, 2, 3];
  const half = 0.02;
  it('skips the keyframe on screen and finds the one before or after', () => {
    expect(neighbourKeyframe(times, 2, half, 1)).toBe(3);
    expect(neighbourKeyframe(times, 2, half, -1)).toBe(1);
    expect(neighbourKeyframe(times, 2.04, half, -1)).toBe(2);
    expect(neighbourKeyframe(times, 1.96, half, 1)).toBe(2);
  });

  it('stops at the ends', () => {
    expect(neighbourKeyframe(times, 3.5, half, 1)).toBeNull();
    expect(neighbourKeyframe(times, 0, half, -1)).toBeNull();
    expect(neighbourKeyframe([0.5, 1.5], 0, half, 1)).toBe(0.5);
    expect(neighbourKeyframe([], 1, half, 1)).toBeNull();
  });
});

describe('filmstrip tiles', () => {
  it('places tiles in sheets left to right, then down', () => {
    expect(tilePosition({ columns: 10, rows: 10 }, 0)).toEqual({ sheet: 0, column: 0, row: 0 });
    expect(tilePosition({ columns: 10, rows: 10 }, 23)).toEqual({ sheet: 0, column: 3, row: 2 });
    expect(tilePosition({ columns: 10, rows: 10 }, 123)).toEqual({ sheet: 1, column: 3, row: 2 });
  });

  it('renders only the slots in view, each with the keyframe at or before its start', () => {
    const times = Array.from({ length: 3600 }, (_, i) => i * 2);
    const slots = filmstripSlots(times, 80, 1, 800, 1599, 7200);
    expect(slots).toHaveLength(10);
    expect(slots[0]).toEqual({ slot: 10, leftPx: 800, widthPx: 80, tile: 400 });
  });

  it('never lets the content grow past what Chromium can lay out', () => {
    expect(maxPxPerSec(25, 60)).toBe(25 * 48);
    expect(maxPxPerSec(25, 7 * 24 * 3600)).toBeLessThan(30);
  });
});
