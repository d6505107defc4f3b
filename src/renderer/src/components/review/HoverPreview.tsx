import type { FilmstripIndex } from '../../../../shared/schemas';
import type { Store } from './store';
import { useStore } from './store';
import { formatMediaTime, frameNumberContaining, type FrameGrid } from './timecode';
import { keyframeIndexAtOrBefore, tilePosition } from './timelineScale';

export interface Hover {
  sec: number;
  /** Pointer x relative to the timeline's left edge. */
  screenPx: number;
}

const PREVIEW_WIDTH_PX = 176;

/**
 * The picture under the pointer: the tile of the keyframe at or before the hovered time (what a
 * seek there starts decoding from), with the hovered time and frame. Re-renders alone on moves.
 */
export function HoverPreview({
  hover,
  strip,
  sheetUrl,
  grid,
  viewportPx,
}: {
  hover: Store<Hover | null>;
  strip: FilmstripIndex | null;
  sheetUrl(sheet: number): string;
  grid: FrameGrid | null;
  viewportPx: number;
}) {
  const at = useStore(hover);
  if (!at) return null;
  const left = Math.min(Math.max(0, at.screenPx - PREVIEW_WIDTH_PX / 2), Math.max(0, viewportPx - PREVIEW_WIDTH_PX));
  const tile = strip ? keyframeIndexAtOrBefore(strip.timesSec, at.sec) : -1;
  let picture = null;
  if (strip && tile >= 0) {
    const scale = PREVIEW_WIDTH_PX / strip.tileWidth;
    const height = Math.round(strip.tileHeight * scale);
    const { sheet, column, row } = tilePosition(strip, tile);
    picture = (
      <div
        className="hover-tile"
        style={{
          height,
          backgroundImage: `url("${sheetUrl(sheet)}")`,
          backgroundSize: `${strip.columns * PREVIEW_WIDTH_PX}px ${strip.rows * height}px`,
          backgroundPosition: `${-column * PREVIEW_WIDTH_PX}px ${-row * height}px`,
        }}
      />
    );
  }
  return (
    <div className="hover-preview" style={{ left, width: PREVIEW_WIDTH_PX }} data-testid="hover-preview">
      {picture}
      <div className="hover-label mono">
        {formatMediaTime(at.sec)}
        {grid ? <span className="muted"> #{frameNumberContaining(at.sec, grid)}</span> : null}
      </div>
    </div>
  );
}
