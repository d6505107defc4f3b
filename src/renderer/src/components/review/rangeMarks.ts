import type { InOut } from './reviewTypes';

/** A point that setting the other one cleared, and the two times involved, to tell the reviewer. */
export interface DroppedMark {
  dropped: 'in' | 'out';
  inSec: number;
  outSec: number;
}

export interface MarkResult {
  range: InOut;
  /** Null when nothing was cleared. */
  dropped: DroppedMark | null;
}

/**
 * Sets the in point. An out point at or before it cannot end the range, so it is cleared, and
 * the answer says so: the trial found a silently vanished point confusing.
 */
export function markIn(range: InOut, inSec: number): MarkResult {
  if (range.outSec === null || range.outSec > inSec) return { range: { inSec, outSec: range.outSec }, dropped: null };
  return { range: { inSec, outSec: null }, dropped: { dropped: 'out', inSec, outSec: range.outSec } };
}

/** Sets the (exclusive) out point; an in point at or after it is cleared, and the answer says so. */
export function markOut(range: InOut, outSec: number): MarkResult {
  if (range.inSec === null || range.inSec < outSec) return { range: { inSec: range.inSec, outSec }, dropped: null };
  return { range: { inSec: null, outSec }, dropped: { dropped: 'in', inSec: range.inSec, outSec } };
}
