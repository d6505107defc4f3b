import { memo } from 'react';
import type { FilmstripIndex } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import type { TimelineView } from './reviewTypes';
import { filmstripSlots, tilePosition } from './timelineScale';

export type FilmstripState = 'none' | 'pending' | 'ready' | 'failed';

/** Height of the filmstrip track in pixels; tiles are scaled to it, keeping their aspect. */
export const FILMSTRIP_HEIGHT_PX = 48;

/**
 * The filmstrip: the track is cut into tile-wide slots and each slot shows the keyframe at or
 * before its start. Tiles are crops of sheet images by background position, so only the sheets
 * of the slots in view are ever requested, and a two-hour recording renders a few dozen elements.
 */
export const FilmstripTrack = memo(function FilmstripTrack({
  view,
  strip,
  state,
  sheetUrl,
}: {
  view: TimelineView;
  strip: FilmstripIndex | null;
  state: FilmstripState;
  sheetUrl(sheet: number): string;
}) {
  const { t } = useI18n();
  if (!strip || strip.timesSec.length === 0) {
    return (
      <div className="review-track filmstrip-track filmstrip-missing" data-testid="filmstrip" data-state={state}>
        {state === 'pending' ? (
          <span className="spinner-row small">
            <span className="spinner spinner-small" aria-hidden="true" />
            {t('review.filmstripPending')}
          </span>
        ) : (
          <span className="muted small">
            {t(state === 'failed' ? 'review.filmstripFailed' : 'review.filmstripNone')}
          </span>
        )}
      </div>
    );
  }
  const scale = FILMSTRIP_HEIGHT_PX / strip.tileHeight;
  const tileW = Math.round(strip.tileWidth * scale);
  const slots = filmstripSlots(strip.timesSec, tileW, view.pxPerSec, view.fromPx, view.toPx, view.contentWidthPx);
  return (
    <div className="review-track filmstrip-track" data-testid="filmstrip" data-state="ready">
      {slots.map(({ slot, leftPx, widthPx, tile }) => {
        const { sheet, column, row } = tilePosition(strip, tile);
        return (
          <div
            key={slot}
            className="filmstrip-tile"
            data-tile={tile}
            style={{
              left: leftPx,
              width: widthPx,
              backgroundImage: `url("${sheetUrl(sheet)}")`,
              backgroundSize: `${strip.columns * tileW}px ${strip.rows * FILMSTRIP_HEIGHT_PX}px`,
              backgroundPosition: `${-column * tileW}px ${-row * FILMSTRIP_HEIGHT_PX}px`,
            }}
          />
        );
      })}
    </div>
  );
});
