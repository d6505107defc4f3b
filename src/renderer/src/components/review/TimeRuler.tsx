import { memo } from 'react';
import type { TimelineView } from './reviewTypes';
import { formatMediaTime } from './timecode';
import { chooseTicks } from './timelineScale';

/** Time ruler of the visible span: labelled ticks, and one tick per frame at frame zoom. */
export const TimeRuler = memo(function TimeRuler({ view, fps }: { view: TimelineView; fps: number | null }) {
  const ticks = chooseTicks(view.fromPx / view.pxPerSec, view.toPx / view.pxPerSec, view.pxPerSec, fps);
  const label = (sec: number) => (ticks.stepSec >= 1 ? formatMediaTime(sec).slice(0, 8) : formatMediaTime(sec));
  return (
    <div
      className="review-timeline-ruler"
      data-frame-ticks={ticks.frameTicks ? 'true' : 'false'}
      data-testid="timeline-ruler"
    >
      {ticks.minor.map((sec) => (
        <span
          key={`m${sec}`}
          className={ticks.frameTicks ? 'review-tick review-tick-frame' : 'review-tick review-tick-minor'}
          style={{ left: sec * view.pxPerSec }}
        />
      ))}
      {ticks.major.map((sec) => (
        <span key={`M${sec}`} className="review-tick review-tick-major" style={{ left: sec * view.pxPerSec }}>
          <span className="review-tick-label mono">{label(sec)}</span>
        </span>
      ))}
    </div>
  );
});
