import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type Ref } from 'react';
import type { Marker, Tag } from '../../../../shared/reviewSchemas';
import type { FilmstripIndex } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { FilmstripTrack, type FilmstripState } from './FilmstripTrack';
import { HoverPreview, type Hover } from './HoverPreview';
import { MarkerTrack } from './MarkerTrack';
import type { PlayerController } from './playerController';
import { Playhead } from './Playhead';
import { RangeOverlay } from './RangeOverlay';
import { ReviewIcon } from './ReviewIcon';
import type { InOut, TimelineView } from './reviewTypes';
import { createStore } from './store';
import { TagTrack } from './TagTrack';
import type { FrameGrid } from './timecode';
import { TimeRuler } from './TimeRuler';
import { clampPxPerSec, fitPxPerSec, MAX_PX_PER_FRAME, maxPxPerSec } from './timelineScale';
import { useShortcutText } from './useShortcutText';

export interface TimelineHandle {
  zoomIn(): void;
  zoomOut(): void;
  zoomFit(): void;
}

interface TimelineProps {
  controller: PlayerController;
  durationSec: number;
  grid: FrameGrid | null;
  filmstrip: FilmstripIndex | null;
  filmstripState: FilmstripState;
  sheetUrl(sheet: number): string;
  range: InOut;
  /** What the clip of the range would really hold, once planned. */
  plan: { fromSec: number; toSec: number } | null;
  tags: readonly Tag[];
  markers: readonly Marker[];
  handleRef: Ref<TimelineHandle>;
}

const ZOOM_STEP = 2;
/** Rendered beyond each edge of the viewport, so a short scroll shows tiles already in place. */
const OVERSCAN = 0.5;

interface Zoom {
  pxPerSec: number;
  /** Follows the viewport's width: the whole recording fits. */
  fit: boolean;
}

/**
 * The timeline under the player: ruler, filmstrip, tag ranges, markers and the in/out range, at
 * any zoom from the whole recording to single frames. Only what is in view is rendered; the
 * playhead moves by itself (Playhead), so playing re-renders none of this.
 */
export function Timeline(props: TimelineProps) {
  const { controller, durationSec, grid, handleRef } = props;
  const fps = grid?.fps ?? null;
  const { t } = useI18n();
  const keys = useShortcutText();
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const [viewportPx, setViewportPx] = useState(0);
  const [scrollPx, setScrollPx] = useState(0);
  const [zoom, setZoom] = useState<Zoom>({ pxPerSec: 1, fit: true });
  const [hover] = useState(() => createStore<Hover | null>(null));
  /** Keeps a time under the same screen x across a zoom; applied once the new width is laid out. */
  const anchor = useRef<{ sec: number; screenPx: number } | null>(null);
  const scrubbing = useRef(false);

  const minPx = fitPxPerSec(viewportPx, durationSec);
  const maxPx = maxPxPerSec(fps, durationSec);
  const pxPerSec = zoom.fit ? minPx : clampPxPerSec(zoom.pxPerSec, minPx, maxPx);
  const contentWidthPx = Math.max(viewportPx, Math.round(durationSec * pxPerSec));
  const view: TimelineView = {
    pxPerSec,
    fromPx: Math.max(0, scrollPx - viewportPx * OVERSCAN),
    toPx: Math.min(contentWidthPx, scrollPx + viewportPx * (1 + OVERSCAN)),
    contentWidthPx,
  };

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const observer = new ResizeObserver(() => setViewportPx(scroller.clientWidth));
    observer.observe(scroller);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const scroller = scrollerRef.current;
    const target = anchor.current;
    if (!scroller || !target) return;
    anchor.current = null;
    scroller.scrollLeft = Math.max(0, target.sec * pxPerSec - target.screenPx);
  }, [pxPerSec]);

  const zoomTo = useCallback(
    (next: number, screenPx?: number) => {
      const scroller = scrollerRef.current;
      if (!scroller || durationSec <= 0) return;
      const clamped = clampPxPerSec(next, minPx, maxPx);
      // Zoom around the pointer, else around the playhead when it is in view, else the middle.
      const playheadPx = controller.positionSec() * pxPerSec - scroller.scrollLeft;
      const at =
        screenPx ?? (playheadPx >= 0 && playheadPx <= scroller.clientWidth ? playheadPx : scroller.clientWidth / 2);
      anchor.current = { sec: (scroller.scrollLeft + at) / pxPerSec, screenPx: at };
      setZoom({ pxPerSec: clamped, fit: clamped <= minPx * 1.0001 });
    },
    [controller, durationSec, maxPx, minPx, pxPerSec],
  );

  useImperativeHandle(
    handleRef,
    () => ({
      zoomIn: () => zoomTo(pxPerSec * ZOOM_STEP),
      zoomOut: () => zoomTo(pxPerSec / ZOOM_STEP),
      zoomFit: () => setZoom({ pxPerSec: minPx, fit: true }),
    }),
    [minPx, pxPerSec, zoomTo],
  );

  // Ctrl+wheel zooms around the pointer; a plain wheel scrolls sideways when zoomed in. The
  // listener is not passive so the page itself does not zoom or scroll.
  useEffect(() => {
    const scroller = scrollerRef.current;
    if (!scroller) return;
    const onWheel = (event: WheelEvent) => {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        const rect = scroller.getBoundingClientRect();
        zoomTo(pxPerSec * Math.exp(-event.deltaY * 0.002), event.clientX - rect.left);
      } else if (Math.abs(event.deltaY) > Math.abs(event.deltaX) && scroller.scrollWidth > scroller.clientWidth) {
        event.preventDefault();
        scroller.scrollLeft += event.deltaY;
      }
    };
    scroller.addEventListener('wheel', onWheel, { passive: false });
    return () => scroller.removeEventListener('wheel', onWheel);
  }, [pxPerSec, zoomTo]);

  const secondsAt = (clientX: number): number => {
    const rect = contentRef.current?.getBoundingClientRect();
    if (!rect) return 0;
    return Math.min(Math.max(0, (clientX - rect.left) / pxPerSec), durationSec);
  };

  const pxPerFrame = fps ? pxPerSec / fps : 0;
  const atFrameZoom = pxPerFrame >= MAX_PX_PER_FRAME / 8;

  return (
    <div className="review-timeline" data-testid="timeline" data-px-per-sec={pxPerSec.toFixed(4)}>
      <div className="review-timeline-toolbar">
        <button
          type="button"
          className="btn-icon"
          onClick={() => zoomTo(pxPerSec / ZOOM_STEP)}
          title={keys.title('zoomOut')}
          aria-label={keys.label('zoomOut')}
          disabled={pxPerSec <= minPx * 1.0001}
          data-testid="zoom-out"
        >
          <ReviewIcon name="zoomOut" />
        </button>
        <button
          type="button"
          className="btn-icon"
          onClick={() => zoomTo(pxPerSec * ZOOM_STEP)}
          title={keys.title('zoomIn')}
          aria-label={keys.label('zoomIn')}
          disabled={pxPerSec >= maxPx * 0.9999}
          data-testid="zoom-in"
        >
          <ReviewIcon name="zoomIn" />
        </button>
        <button
          type="button"
          className="btn-icon"
          onClick={() => setZoom({ pxPerSec: minPx, fit: true })}
          title={keys.title('zoomFit')}
          aria-label={keys.label('zoomFit')}
          data-testid="zoom-fit"
        >
          <ReviewIcon name="fit" />
        </button>
        <span className="muted small" data-testid="zoom-level">
          {zoom.fit
            ? t('review.zoom.whole')
            : fps && pxPerFrame >= 1
              ? t('review.zoom.perFrame', { px: Math.round(pxPerFrame) })
              : t('review.zoom.span', { seconds: Math.round(viewportPx / pxPerSec) })}
        </span>
        <span className="spacer" />
        <span className="muted small">{t('review.zoom.hint')}</span>
      </div>
      <div
        className="review-timeline-scroller"
        ref={scrollerRef}
        onScroll={(e) => setScrollPx(e.currentTarget.scrollLeft)}
        data-testid="timeline-scroller"
      >
        <div
          className={atFrameZoom ? 'review-timeline-content frame-zoom' : 'review-timeline-content'}
          ref={contentRef}
          style={{ width: contentWidthPx }}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.currentTarget.setPointerCapture(e.pointerId);
            scrubbing.current = true;
            controller.scrubTo(secondsAt(e.clientX));
          }}
          onPointerMove={(e) => {
            const sec = secondsAt(e.clientX);
            const rootLeft = scrollerRef.current?.getBoundingClientRect().left ?? 0;
            hover.set({ sec, screenPx: e.clientX - rootLeft });
            if (scrubbing.current) controller.scrubTo(sec);
          }}
          onPointerUp={() => {
            scrubbing.current = false;
          }}
          onPointerCancel={() => {
            scrubbing.current = false;
          }}
          onPointerLeave={() => hover.set(null)}
          data-testid="timeline-content"
        >
          <TimeRuler view={view} fps={fps} />
          <FilmstripTrack view={view} strip={props.filmstrip} state={props.filmstripState} sheetUrl={props.sheetUrl} />
          <TagTrack view={view} tags={props.tags} onSeek={(sec) => controller.seekToTime(sec)} />
          <MarkerTrack view={view} markers={props.markers} onSeek={(sec) => controller.seekToTime(sec)} />
          <RangeOverlay view={view} range={props.range} plan={props.plan} />
          <Playhead controller={controller} pxPerSec={pxPerSec} scrollerRef={scrollerRef} />
        </div>
      </div>
      <HoverPreview
        hover={hover}
        strip={props.filmstrip}
        sheetUrl={props.sheetUrl}
        grid={grid}
        viewportPx={viewportPx}
      />
    </div>
  );
}
