import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
} from 'react';
import type { CaseItem } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { formatDuration } from '../../lib/format';
import { useNavigation } from '../../station/NavigationContext';
import { Icon } from '../common/Icon';
import { KIND_ICON } from '../library/ItemMarks';
import { evidenceKindLabel, tagName } from './evidenceLabels';
import { tickContext, tickLabel } from './timelineLabels';
import {
  assignLanes,
  barLabel,
  canZoomIn,
  canZoomOut,
  clampView,
  fitView,
  instantAt,
  isFitted,
  MIN_BAR_PX,
  outsideView,
  panView,
  pixelOf,
  placeEntries,
  ticksFor,
  zoomView,
  type Axis,
  type AxisEntry,
  type PlacedEntry,
  type View,
} from './timelineLayout';
import { formatStationClock, formatStationTime, stationOffsetMinutes, stationZoneLabel } from './stationTime';

const LANE_PX = 28;
const AXIS_PX = 36;
/** Until the container is measured, lay out as if it were this wide (avoids a zero-width first paint). */
const FALLBACK_WIDTH_PX = 800;
/** Room a tick's label needs to its right; nearer the end, the label sits left of its line. */
const TICK_LABEL_PX = 150;
/** One press of a zoom button or key halves or doubles the span shown. */
const ZOOM_STEP = 2;
/** One arrow key press moves the view by this share of its span. */
const PAN_SHARE = 0.1;
/** A ctrl+wheel notch (about 100 px of delta) zooms by about 1.2×, as maps do. */
const WHEEL_ZOOM_PER_PX = 0.002;
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD_PX = 4;

interface Placed extends PlacedEntry {
  entry: CaseItem;
  startMs: number;
  endMs: number | null;
}

/**
 * One time axis for the whole case: each item placed by its recorded time on the station's
 * clock, recordings and clips as bars, photos and stills as points, overlapping items in separate
 * lanes, tagged ranges marked on their bars. It opens fitted to the evidence; the officer zooms
 * (buttons, + and −, ctrl/⌘+wheel), pans (drag, wheel, arrow keys) and fits again. Items without
 * a recorded time are listed apart.
 */
export function CaseTimeline({ items }: { items: CaseItem[] }) {
  const { t, locale } = useI18n();
  const { navigate } = useNavigation();
  const trackRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH_PX);
  const [hovered, setHovered] = useState<string | null>(null);

  const { timed, untimed, entries } = useMemo(() => splitByTime(items), [items]);
  // Measured again when the axis first shows: a hidden track is 0 px wide, and a view laid out at
  // the fallback width would show other ticks for a moment.
  const shown = entries.length > 0;
  useLayoutEffect(() => {
    const track = trackRef.current;
    if (!track) return;
    const measure = () => setWidth(track.clientWidth || FALLBACK_WIDTH_PX);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(track);
    return () => observer.disconnect();
  }, [shown]);

  const fit = useMemo(() => fitView(entries), [entries]);
  const fitKey = fit ? `${fit.startMs}:${fit.endMs}` : '';
  // The officer's zoom holds while the evidence keeps its span; new evidence that widens it refits.
  const [zoomed, setZoomed] = useState<{ fitKey: string; view: View } | null>(null);
  const view = useMemo(
    () => (fit && zoomed?.fitKey === fitKey ? clampView(zoomed.view, fit, width) : fit),
    [fit, fitKey, zoomed, width],
  );

  const lanes = useMemo(() => (fit ? assignLanes({ ...fit, widthPx: width }, entries) : []), [fit, width, entries]);
  const layout = useMemo(() => {
    if (!view) return null;
    const axis = { ...view, widthPx: width };
    const placed: Placed[] = placeEntries(axis, entries, lanes).map((p, i) => ({
      ...p,
      entry: timed[i]!,
      startMs: entries[i]!.startMs,
      endMs: entries[i]!.endMs,
    }));
    const laneCount = lanes.reduce((max, lane) => Math.max(max, lane + 1), 1);
    return { axis, placed, laneCount, outside: outsideView(axis, entries), ...ticksFor(axis, stationOffsetMinutes) };
  }, [view, width, entries, lanes, timed]);

  const change = useCallback(
    (next: (current: View) => View) => {
      if (!fit) return;
      setZoomed((previous) => {
        const current = previous?.fitKey === fitKey ? clampView(previous.view, fit, width) : fit;
        return { fitKey, view: next(current) };
      });
    },
    [fit, fitKey, width],
  );
  const zoomBy = useCallback(
    (factor: number, anchorMs?: number) =>
      change((current) => zoomView(current, factor, anchorMs ?? (current.startMs + current.endMs) / 2, fit!, width)),
    [change, fit, width],
  );
  const panBy = useCallback(
    (deltaMs: number) => change((current) => panView(current, deltaMs, fit!, width)),
    [change, fit, width],
  );
  const fitAgain = () => setZoomed(null);

  // Wheel listeners must be non-passive to keep the page from zooming or scrolling, which React's are not.
  const axis = layout?.axis ?? null;
  useEffect(() => {
    const track = trackRef.current;
    if (!track || !axis || !fit) return;
    const listener = (event: WheelEvent) => {
      const lines = event.deltaMode === WheelEvent.DOM_DELTA_LINE ? 16 : 1;
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        const box = track.getBoundingClientRect();
        zoomBy(Math.exp(event.deltaY * lines * WHEEL_ZOOM_PER_PX), instantAt(axis, event.clientX - box.left));
        return;
      }
      // At the fitted view there is nothing to pan: the wheel scrolls the page as everywhere else.
      if (isFitted(axis, fit)) return;
      const sideways = event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY);
      const delta = sideways ? event.deltaX || event.deltaY : event.deltaY;
      event.preventDefault();
      panBy(delta * lines * ((axis.endMs - axis.startMs) / axis.widthPx));
    };
    track.addEventListener('wheel', listener, { passive: false });
    return () => track.removeEventListener('wheel', listener);
  }, [axis, fit, zoomBy, panBy]);

  const drag = useRef<{ pointerId: number; x: number; view: View; moved: boolean } | null>(null);
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0 || !layout) return;
    drag.current = { pointerId: event.pointerId, x: event.clientX, view: layout.axis, moved: false };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== event.pointerId || !fit) return;
    const dx = event.clientX - d.x;
    if (!d.moved && Math.abs(dx) < DRAG_THRESHOLD_PX) return;
    if (!d.moved) {
      // Captured only once it is a drag: a capture from the press would take the click from the bar.
      d.moved = true;
      event.currentTarget.setPointerCapture(event.pointerId);
    }
    const msPerPx = (d.view.endMs - d.view.startMs) / width;
    setZoomed({ fitKey, view: panView(d.view, -dx * msPerPx, fit, width) });
  };
  const endDrag = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId === event.pointerId) drag.current = null;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!layout || event.ctrlKey || event.metaKey || event.altKey) return;
    const span = layout.axis.endMs - layout.axis.startMs;
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(1 / ZOOM_STEP),
      '=': () => zoomBy(1 / ZOOM_STEP),
      '-': () => zoomBy(ZOOM_STEP),
      _: () => zoomBy(ZOOM_STEP),
      ArrowLeft: () => panBy(-span * PAN_SHARE),
      ArrowRight: () => panBy(span * PAN_SHARE),
      '0': fitAgain,
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const open = (itemId: string) => navigate({ view: 'review', itemId });
  const zone = stationZoneLabel(layout?.axis.startMs);
  const fitted = !layout || !fit || isFitted(layout.axis, fit);

  return (
    <section className="case-timeline" aria-label={t('timeline.label')} data-testid="case-timeline">
      <header className="case-section-head timeline-head">
        <h2>{t('timeline.title')}</h2>
        <span className="muted small" data-testid="timeline-zone">
          {t('timeline.zone', { zone })}
        </span>
        {layout && fit ? (
          <div className="timeline-controls" role="toolbar" aria-label={t('timeline.controls')}>
            {fitted ? (
              <span className="muted small timeline-hint">{t('timeline.hint')}</span>
            ) : (
              <span
                className="muted small timeline-hint"
                data-testid="timeline-outside"
                data-before={layout.outside.before}
                data-after={layout.outside.after}
              >
                {t('timeline.outside', layout.outside)}
              </span>
            )}
            <button
              type="button"
              className="btn btn-small timeline-zoom"
              onClick={() => zoomBy(ZOOM_STEP)}
              disabled={!canZoomOut(layout.axis, fit)}
              aria-label={t('timeline.zoomOut')}
              title={t('timeline.zoomOut')}
              data-testid="timeline-zoom-out"
            >
              −
            </button>
            <button
              type="button"
              className="btn btn-small timeline-zoom"
              onClick={() => zoomBy(1 / ZOOM_STEP)}
              disabled={!canZoomIn(layout.axis, fit, width)}
              aria-label={t('timeline.zoomIn')}
              title={t('timeline.zoomIn')}
              data-testid="timeline-zoom-in"
            >
              +
            </button>
            <button
              type="button"
              className="btn btn-small"
              onClick={fitAgain}
              disabled={fitted}
              title={t('timeline.fitHint')}
              data-testid="timeline-fit"
            >
              {t('timeline.fit')}
            </button>
          </div>
        ) : null}
      </header>
      {items.length === 0 ? <p className="muted timeline-empty">{t('timeline.empty')}</p> : null}
      <div
        ref={trackRef}
        className={fitted ? 'timeline-track' : 'timeline-track zoomed'}
        hidden={!layout}
        style={layout ? { height: AXIS_PX + layout.laneCount * LANE_PX + 8 } : undefined}
        tabIndex={layout ? 0 : -1}
        role="group"
        aria-label={t('timeline.axisKeys')}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        data-testid="timeline-axis"
        data-view-start={layout ? new Date(layout.axis.startMs).toISOString() : undefined}
        data-view-end={layout ? new Date(layout.axis.endMs).toISOString() : undefined}
        data-fitted={fitted}
        data-scale={layout ? `${layout.scale.count} ${layout.scale.unit}` : undefined}
      >
        {layout ? (
          <>
            <div className="timeline-ticks" style={{ height: AXIS_PX }}>
              {layout.ticks.map((tick) => {
                const context = tick.showsContext
                  ? tickContext(tick.atMs, layout.scale.unit, locale, stationOffsetMinutes)
                  : null;
                return (
                  <div
                    key={tick.atMs}
                    className={tick.leftPx > width - TICK_LABEL_PX ? 'timeline-tick tick-end' : 'timeline-tick'}
                    style={{ left: tick.leftPx }}
                    data-testid="timeline-tick"
                  >
                    <span className="timeline-tick-label mono">
                      {context ? (
                        <span className="timeline-tick-date" data-testid="timeline-tick-context">
                          {context}
                        </span>
                      ) : null}
                      <span data-testid="timeline-tick-label">
                        {tickLabel(tick.atMs, layout.scale.unit, locale, stationOffsetMinutes)}
                      </span>
                    </span>
                  </div>
                );
              })}
            </div>
            {layout.placed.map((p) =>
              p.visible ? (
                <TimelineEntry
                  key={p.entry.item.id}
                  placed={p}
                  axis={layout.axis}
                  tipLeft={p.leftPx > width * 0.6}
                  hovered={hovered === p.entry.item.id}
                  onHover={(on) => setHovered(on ? p.entry.item.id : null)}
                  onOpen={() => open(p.entry.item.id)}
                />
              ) : null,
            )}
          </>
        ) : null}
      </div>
      {untimed.length > 0 ? (
        <div className="timeline-unknown" data-testid="timeline-unknown">
          <h3 title={t('timeline.unknownHint')}>{t('timeline.unknown')}</h3>
          <ul>
            {untimed.map((entry) => (
              <li key={entry.item.id}>
                <button
                  type="button"
                  className="chip-button"
                  onClick={() => open(entry.item.id)}
                  data-testid="timeline-unknown-item"
                  data-item-id={entry.item.id}
                >
                  <Icon name={KIND_ICON[entry.item.kind]} size={12} />
                  <span className="ellipsis">{entry.item.originalName}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** Items with a readable recorded time go on the axis; the rest are listed apart, never put at an epoch. */
function splitByTime(items: CaseItem[]): { timed: CaseItem[]; untimed: CaseItem[]; entries: AxisEntry[] } {
  const timed: CaseItem[] = [];
  const untimed: CaseItem[] = [];
  const entries: AxisEntry[] = [];
  for (const entry of items) {
    const axisEntry = entry.startsAt === null ? null : toAxisEntry(entry);
    if (axisEntry) {
      timed.push(entry);
      entries.push(axisEntry);
    } else {
      untimed.push(entry);
    }
  }
  return { timed, untimed, entries };
}

function toAxisEntry(entry: CaseItem): AxisEntry | null {
  const startMs = Date.parse(entry.startsAt!);
  if (!Number.isFinite(startMs)) return null;
  const parsedEnd = entry.endsAt ? Date.parse(entry.endsAt) : null;
  const endMs = parsedEnd !== null && Number.isFinite(parsedEnd) ? parsedEnd : null;
  const point = entry.item.kind === 'photo' || endMs === null || endMs <= startMs;
  return { id: entry.item.id, startMs, endMs: point ? null : endMs };
}

/**
 * Tagged ranges in pixels inside the drawn bar, clamped to the recording (a range may outlast a
 * cut bar) and to the part of the bar on screen (a zoomed bar may reach past the axis' edges).
 */
function tagRangesOn(entry: CaseItem, placed: Placed, axis: Axis, durationSec: number) {
  const barStartPx = pixelOf(axis, placed.startMs);
  const pxPerSec = Math.max(MIN_BAR_PX, pixelOf(axis, placed.endMs!) - barStartPx) / durationSec;
  const clampSec = (sec: number) => Math.min(durationSec, Math.max(0, sec));
  const clampPx = (px: number) => Math.min(placed.widthPx, Math.max(0, px));
  return entry.tags.flatMap((tag) => {
    if (tag.fromSec === null || tag.toSec === null) return [];
    const from = clampPx(barStartPx + clampSec(tag.fromSec) * pxPerSec - placed.leftPx);
    const to = clampPx(barStartPx + clampSec(tag.toSec) * pxPerSec - placed.leftPx);
    return to > from ? [{ id: tag.id, leftPx: from, widthPx: to - from }] : [];
  });
}

function TimelineEntry({
  placed,
  axis,
  tipLeft,
  hovered,
  onHover,
  onOpen,
}: {
  placed: Placed;
  axis: Axis;
  /** Near the right edge the tooltip opens leftwards, so it stays on the page. */
  tipLeft: boolean;
  hovered: boolean;
  onHover(on: boolean): void;
  onOpen(): void;
}) {
  const { t, locale } = useI18n();
  const { entry } = placed;
  const kind = evidenceKindLabel(entry, t);
  const when =
    placed.endMs === null
      ? formatStationTime(placed.startMs)
      : t('timeline.range', { from: formatStationTime(placed.startMs), to: formatStationClock(placed.endMs, true) });
  const top = AXIS_PX + placed.lane * LANE_PX;
  const isClip = entry.derivation?.kind === 'clip';
  const durationSec = placed.endMs === null ? 0 : (placed.endMs - placed.startMs) / 1000;
  const ranges = durationSec > 0 ? tagRangesOn(entry, placed, axis, durationSec) : [];
  const label = placed.point ? null : barLabel(placed.widthPx, entry.item.originalName, kind);
  const className = [
    'timeline-entry',
    placed.point ? 'timeline-point' : 'timeline-bar',
    isClip ? 'timeline-clip' : '',
    entry.item.kind === 'audio' ? 'timeline-audio' : '',
    hovered ? 'hovered' : '',
  ].join(' ');

  return (
    <button
      type="button"
      className={className}
      style={{ left: placed.leftPx, width: placed.widthPx, top }}
      onClick={onOpen}
      onMouseEnter={() => onHover(true)}
      onMouseLeave={() => onHover(false)}
      onFocus={() => onHover(true)}
      onBlur={() => onHover(false)}
      aria-label={`${entry.item.originalName} · ${when}`}
      data-testid="timeline-entry"
      data-item-id={entry.item.id}
      data-lane={placed.lane}
      data-start={entry.startsAt}
      data-point={placed.point}
    >
      {placed.point ? (
        <span className="timeline-diamond" aria-hidden="true" />
      ) : (
        <>
          {ranges.map((range) => (
            <span
              key={range.id}
              className="timeline-tag-range"
              style={{ left: range.leftPx, width: range.widthPx }}
              data-testid="timeline-tag-range"
            />
          ))}
          {label ? (
            <span className="timeline-bar-label ellipsis" data-testid="timeline-bar-label">
              {label}
            </span>
          ) : null}
        </>
      )}
      {hovered ? (
        <span className={tipLeft ? 'timeline-tip tip-left' : 'timeline-tip'} role="tooltip" data-testid="timeline-tip">
          <strong className="timeline-tip-name">{entry.item.originalName}</strong>
          <span className="muted dot-list">
            <span>{kind}</span>
            {durationSec > 0 ? <span className="mono">{formatDuration(durationSec)}</span> : null}
          </span>
          <span className="mono">{when}</span>
          {entry.tags.map((tag) => (
            <span key={tag.id} className="timeline-tip-tag" title={tag.code}>
              {tagName(tag, locale)}
            </span>
          ))}
          <span className="muted small">{t('timeline.open')}</span>
        </span>
      ) : null}
    </button>
  );
}
