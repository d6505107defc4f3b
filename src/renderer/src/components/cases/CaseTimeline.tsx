import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { CaseItem } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { formatDuration } from '../../lib/format';
import { useNavigation } from '../../station/NavigationContext';
import { Icon } from '../common/Icon';
import { KIND_ICON } from '../library/ItemMarks';
import { evidenceKindLabel, tagName } from './evidenceLabels';
import {
  axisFor,
  placeEntries,
  pixelOf,
  ticksFor,
  ticksNeedSeconds,
  type Axis,
  type AxisEntry,
  type PlacedEntry,
} from './timelineLayout';
import {
  formatStationClock,
  formatStationDate,
  formatStationTime,
  stationOffsetMinutes,
  stationZoneLabel,
} from './stationTime';

const LANE_PX = 28;
const AXIS_PX = 36;
/** Until the container is measured, lay out as if it were this wide (avoids a zero-width first paint). */
const FALLBACK_WIDTH_PX = 800;
/** Room a tick's label needs to its right; nearer the end, the label sits left of its line. */
const TICK_LABEL_PX = 72;

interface Placed extends PlacedEntry {
  entry: CaseItem;
  startMs: number;
  endMs: number | null;
}

/**
 * One time axis for the whole case: each item placed by its recorded time on the station's
 * clock, recordings and clips as bars, photos and stills as points, overlapping items in separate
 * lanes, tagged ranges marked on their bars. Items without a recorded time are listed apart.
 */
export function CaseTimeline({ items }: { items: CaseItem[] }) {
  const { t } = useI18n();
  const { navigate } = useNavigation();
  const trackRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(FALLBACK_WIDTH_PX);
  const [hovered, setHovered] = useState<string | null>(null);

  useLayoutEffect(() => {
    const track = trackRef.current;
    if (!track) return;
    const measure = () => setWidth(track.clientWidth || FALLBACK_WIDTH_PX);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(track);
    return () => observer.disconnect();
  }, []);

  const timed = useMemo(() => items.filter((entry) => entry.startsAt !== null), [items]);
  const untimed = useMemo(() => items.filter((entry) => entry.startsAt === null), [items]);
  const layout = useMemo(() => {
    const axisEntries: AxisEntry[] = timed.map((entry) => toAxisEntry(entry));
    const axis = axisFor(axisEntries, width);
    if (!axis) return null;
    const placed: Placed[] = placeEntries(axis, axisEntries).map((p, i) => ({
      ...p,
      entry: timed[i]!,
      startMs: axisEntries[i]!.startMs,
      endMs: axisEntries[i]!.endMs,
    }));
    const lanes = placed.reduce((max, p) => Math.max(max, p.lane + 1), 1);
    return { axis, placed, lanes, ticks: ticksFor(axis, stationOffsetMinutes), seconds: ticksNeedSeconds(axis) };
  }, [timed, width]);

  const open = (itemId: string) => navigate({ view: 'review', itemId });
  const zone = stationZoneLabel(layout?.axis.startMs);

  return (
    <section className="case-timeline" aria-label={t('timeline.label')} data-testid="case-timeline">
      <header className="case-section-head">
        <h2>{t('timeline.title')}</h2>
        <span className="muted small" data-testid="timeline-zone">
          {t('timeline.zone', { zone })}
        </span>
      </header>
      {items.length === 0 ? <p className="muted timeline-empty">{t('timeline.empty')}</p> : null}
      <div
        ref={trackRef}
        className="timeline-track"
        hidden={!layout}
        style={layout ? { height: AXIS_PX + layout.lanes * LANE_PX + 8 } : undefined}
      >
        {layout ? (
          <>
            <div className="timeline-ticks" style={{ height: AXIS_PX }}>
              {layout.ticks.map((tick) => (
                <div
                  key={tick.atMs}
                  className={tick.leftPx > width - TICK_LABEL_PX ? 'timeline-tick tick-end' : 'timeline-tick'}
                  style={{ left: tick.leftPx }}
                  data-testid="timeline-tick"
                >
                  <span className="timeline-tick-label mono">
                    {tick.showsDate ? <span className="timeline-tick-date">{formatStationDate(tick.atMs)}</span> : null}
                    {formatStationClock(tick.atMs, layout.seconds)}
                  </span>
                </div>
              ))}
            </div>
            {layout.placed.map((p) => (
              <TimelineEntry
                key={p.entry.item.id}
                placed={p}
                axis={layout.axis}
                hovered={hovered === p.entry.item.id}
                onHover={(on) => setHovered(on ? p.entry.item.id : null)}
                onOpen={() => open(p.entry.item.id)}
              />
            ))}
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

function toAxisEntry(entry: CaseItem): AxisEntry {
  const startMs = Date.parse(entry.startsAt!);
  const endMs = entry.endsAt ? Date.parse(entry.endsAt) : null;
  const point = entry.item.kind === 'photo' || endMs === null || endMs <= startMs;
  return { id: entry.item.id, startMs, endMs: point ? null : endMs };
}

/** Tagged ranges as shares of the bar, clamped to the recording (a range may outlast a cut bar). */
function tagRangesOn(entry: CaseItem, durationSec: number) {
  const clamp = (sec: number) => Math.min(durationSec, Math.max(0, sec));
  return entry.tags.flatMap((tag) => {
    if (tag.fromSec === null || tag.toSec === null) return [];
    const from = clamp(tag.fromSec);
    const to = clamp(tag.toSec);
    return to > from ? [{ id: tag.id, leftShare: from / durationSec, widthShare: (to - from) / durationSec }] : [];
  });
}

function TimelineEntry({
  placed,
  axis,
  hovered,
  onHover,
  onOpen,
}: {
  placed: Placed;
  axis: Axis;
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
  const ranges = durationSec > 0 ? tagRangesOn(entry, durationSec) : [];
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
              style={{ left: `${range.leftShare * 100}%`, width: `${range.widthShare * 100}%` }}
              data-testid="timeline-tag-range"
            />
          ))}
          {placed.widthPx > 60 ? <span className="timeline-bar-label ellipsis">{entry.item.originalName}</span> : null}
        </>
      )}
      {hovered ? (
        <span
          className={pixelOf(axis, placed.startMs) > axis.widthPx * 0.6 ? 'timeline-tip tip-left' : 'timeline-tip'}
          role="tooltip"
          data-testid="timeline-tip"
        >
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
