import { memo } from 'react';
import type { Tag } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { hueOf, nameIn, type TimelineView } from './reviewTypes';
import { formatMediaTime } from './timecode';

const LANES = 2;

/** Tagged ranges as coloured bars, in two lanes so overlapping tags stay visible; a click goes to the range's start. */
export const TagTrack = memo(function TagTrack({
  view,
  tags,
  onSeek,
}: {
  view: TimelineView;
  tags: readonly Tag[];
  onSeek(sec: number): void;
}) {
  const { locale } = useI18n();
  const laneEnds: number[] = Array.from({ length: LANES }, () => -Infinity);
  const ranged = tags
    .filter((tag) => !tag.removed && tag.fromSec !== null && tag.toSec !== null)
    .sort((a, b) => a.fromSec! - b.fromSec!);
  return (
    <div className="review-track tag-track" data-testid="tag-track">
      {ranged.map((tag) => {
        const from = tag.fromSec!;
        const to = tag.toSec!;
        let lane = laneEnds.findIndex((end) => end <= from);
        if (lane < 0) lane = LANES - 1;
        laneEnds[lane] = to;
        const left = from * view.pxPerSec;
        const width = Math.max(3, (to - from) * view.pxPerSec);
        if (left > view.toPx || left + width < view.fromPx) return null;
        const name = nameIn(locale, tag);
        return (
          <button
            key={tag.id}
            type="button"
            className="tag-bar"
            style={{ left, width, top: lane * 12, backgroundColor: `hsl(${hueOf(tag.code)} 55% 42% / 0.8)` }}
            title={`${name} · ${formatMediaTime(from)} – ${formatMediaTime(to)}${tag.note ? `\n${tag.note}` : ''}`}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={() => onSeek(from)}
            data-testid="tag-bar"
          >
            <span className="tag-bar-label">{name}</span>
          </button>
        );
      })}
    </div>
  );
});
