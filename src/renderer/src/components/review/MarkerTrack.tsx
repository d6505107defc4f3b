import { memo } from 'react';
import type { Marker } from '../../../../shared/reviewSchemas';
import type { TimelineView } from './reviewTypes';
import { formatMediaTime } from './timecode';

/** Markers as flags on their own track; a click goes to the marked frame. */
export const MarkerTrack = memo(function MarkerTrack({
  view,
  markers,
  onSeek,
}: {
  view: TimelineView;
  markers: readonly Marker[];
  onSeek(sec: number): void;
}) {
  return (
    <div className="review-track marker-track" data-testid="marker-track">
      {markers.map((marker) => {
        const left = marker.atSec * view.pxPerSec;
        if (left < view.fromPx - 20 || left > view.toPx + 20) return null;
        return (
          <button
            key={marker.id}
            type="button"
            className="marker-flag"
            style={{ left }}
            title={marker.label ? `${formatMediaTime(marker.atSec)} ${marker.label}` : formatMediaTime(marker.atSec)}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={() => onSeek(marker.atSec)}
            data-testid="marker-flag"
          />
        );
      })}
    </div>
  );
});
