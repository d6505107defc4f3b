import { memo, useEffect, useRef, type CSSProperties } from 'react';
import type { ItemSummary } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { formatDuration, shortHash } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { useClient } from '../../station/StationContext';
import { GpsMark, RecordedTime, Thumbnail, UndecodableMark } from './ItemMarks';
import { FileName } from '../common/FileName';
import { clickKeys, useVisibleRows, type ClickKeys, type LibraryModeProps } from './useVisibleRows';
import { OriginBadge } from './OriginBadge';

const ROW_HEIGHT = 40;

/** The dense table mode: one row per item, same virtualisation and page cache as the grid. */
export function LibraryList(props: LibraryModeProps) {
  const { pages, total, selected, focusId, focusIndex, onItemClick, onItemOpen, onRangeChange, onColumnsChange } =
    props;
  const { t } = useI18n();
  const client = useClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { virtualizer, rows } = useVisibleRows({
    scrollRef,
    rowCount: total,
    rowHeight: ROW_HEIGHT,
    overscan: 10,
    itemsPerRow: 1,
    onRangeChange,
    focusIndex,
  });
  useEffect(() => onColumnsChange(1), [onColumnsChange]);

  return (
    <div className="library-table" role="table" aria-rowcount={total} data-testid="library-list">
      <div className="table-row table-head" role="row">
        <span role="columnheader" />
        <span role="columnheader">{t('col.name')}</span>
        <span role="columnheader">{t('col.recorded')}</span>
        <span role="columnheader">{t('col.duration')}</span>
        <span role="columnheader">{t('col.device')}</span>
        <span role="columnheader">{t('col.officer')}</span>
        <span role="columnheader">{t('col.size')}</span>
        <span role="columnheader">{t('col.sha256')}</span>
        <span role="columnheader">{t('col.status')}</span>
      </div>
      <div className="library-scroll" ref={scrollRef}>
        <div className="virtual-inner" style={{ height: virtualizer.getTotalSize() }}>
          {rows.map((row) => {
            const item = pages.itemAt(row.index);
            const style = { transform: `translateY(${row.start}px)`, height: ROW_HEIGHT };
            if (!item) {
              return (
                <div key={row.key} className="table-row table-loading" style={style} role="row" aria-busy="true">
                  <span />
                  <span className="muted">{t('library.loadingItem')}</span>
                </div>
              );
            }
            return (
              <ListRow
                key={item.id}
                item={item}
                index={row.index}
                style={style}
                thumbnailUrl={client.mediaUrl(item.id, 'thumbnail')}
                selected={selected.has(item.id)}
                focused={item.id === focusId}
                onClick={onItemClick}
                onOpen={onItemOpen}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

const ListRow = memo(function ListRow({
  item,
  index,
  style,
  thumbnailUrl,
  selected,
  focused,
  onClick,
  onOpen,
}: {
  item: ItemSummary;
  index: number;
  style: CSSProperties;
  thumbnailUrl: string;
  selected: boolean;
  focused: boolean;
  onClick(index: number, id: string, keys: ClickKeys): void;
  onOpen(id: string): void;
}) {
  const { t } = useI18n();
  const classes = [
    'table-row',
    selected ? 'selected' : '',
    focused ? 'focused' : '',
    item.status === 'undecodable' ? 'row-undecodable' : '',
  ];
  return (
    <div
      className={classes.join(' ')}
      style={style}
      role="row"
      aria-selected={selected}
      tabIndex={focused ? 0 : -1}
      onClick={(e) => onClick(index, item.id, clickKeys(e))}
      onDoubleClick={() => onOpen(item.id)}
      data-testid="library-row"
      data-item-id={item.id}
      data-origin={item.origin}
      data-thumbnail={item.thumbnail}
      data-status={item.status}
    >
      <span role="cell" className="row-thumb">
        <Thumbnail item={item} mediaUrl={thumbnailUrl} />
      </span>
      <span role="cell" className="ellipsis name-cell">
        <OriginBadge origin={item.origin} />
        <FileName name={item.originalName} />
      </span>
      <span role="cell" className="nowrap">
        <RecordedTime item={item} size="icon" />
      </span>
      <span role="cell" className="mono">
        {formatDuration(item.durationSec) ?? t('common.none')}
      </span>
      <span role="cell" className="ellipsis">
        {item.deviceId ?? t('common.none')}
      </span>
      <span role="cell" className="ellipsis">
        {item.officerId ?? t('common.none')}
      </span>
      <span role="cell" className="num">
        {formatSize(item.size, t)}
      </span>
      <span role="cell" className="mono hash" title={item.sha256}>
        {shortHash(item.sha256)}
      </span>
      <span role="cell" className="row-marks">
        {item.status === 'undecodable' ? <UndecodableMark /> : <span className="muted">{t('status.ok')}</span>}
        {item.hasGps ? <GpsMark /> : null}
      </span>
    </div>
  );
});
