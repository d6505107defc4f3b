import { memo } from 'react';
import type { InOut, TimelineView } from './reviewTypes';

/** The in/out range across every track; a lone in or out point shows as its bracket alone. */
export const RangeOverlay = memo(function RangeOverlay({ view, range }: { view: TimelineView; range: InOut }) {
  const { inSec, outSec } = range;
  if (inSec === null && outSec === null) return null;
  const left = inSec === null ? null : inSec * view.pxPerSec;
  const right = outSec === null ? null : outSec * view.pxPerSec;
  return (
    <>
      {left !== null && right !== null && right > left ? (
        <div className="range-fill" style={{ left, width: right - left }} data-testid="range-overlay" />
      ) : null}
      {left !== null ? <div className="range-edge range-in" style={{ left }} data-testid="range-in" /> : null}
      {right !== null ? <div className="range-edge range-out" style={{ left: right }} data-testid="range-out" /> : null}
    </>
  );
});
