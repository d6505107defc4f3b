import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ItemCard } from './ItemCard';
import { useVisibleRows, type LibraryModeProps } from './useVisibleRows';

const MIN_CARD_WIDTH = 210;
const GAP = 12;
const PADDING = 12;
/** Height of the text block under the thumbnail: three lines of card text. */
const CARD_INFO_HEIGHT = 70;

function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    setWidth(element.clientWidth);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}

/** Thumbnail cards in rows; only the rows on screen (plus a few) exist in the DOM. */
export function LibraryGrid(props: LibraryModeProps) {
  const { pages, total, selected, focusId, focusIndex, onItemClick, onItemOpen, onRangeChange, onColumnsChange } =
    props;
  const { t } = useI18n();
  const client = useClient();
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useWidth(scrollRef);
  const inner = Math.max(MIN_CARD_WIDTH, width - PADDING * 2);
  const columns = Math.max(1, Math.floor((inner + GAP) / (MIN_CARD_WIDTH + GAP)));
  const cardWidth = (inner - GAP * (columns - 1)) / columns;
  const rowHeight = Math.round((cardWidth * 9) / 16 + CARD_INFO_HEIGHT + GAP);
  const rowCount = Math.ceil(total / columns);

  const { virtualizer, rows } = useVisibleRows({
    scrollRef,
    rowCount,
    rowHeight,
    overscan: 3,
    itemsPerRow: columns,
    onRangeChange,
    focusIndex,
  });
  useEffect(() => onColumnsChange(columns), [columns, onColumnsChange]);

  useEffect(() => {
    virtualizer.measure();
  }, [virtualizer, rowHeight]);

  return (
    <div className="library-scroll" ref={scrollRef} data-testid="library-grid">
      <div className="virtual-inner" style={{ height: virtualizer.getTotalSize() + PADDING * 2 }}>
        {rows.map((row) => (
          <div
            key={row.key}
            className="grid-row"
            style={{
              transform: `translateY(${row.start + PADDING}px)`,
              height: rowHeight - GAP,
              left: PADDING,
              right: PADDING,
              gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
              gap: GAP,
            }}
          >
            {Array.from({ length: columns }, (_, column) => {
              const index = row.index * columns + column;
              if (index >= total) return <div key={column} />;
              const item = pages.itemAt(index);
              if (!item) {
                return (
                  <div key={column} className="card card-loading" aria-busy="true">
                    <div className="card-thumb" />
                    <div className="card-body muted">{t('library.loadingItem')}</div>
                  </div>
                );
              }
              return (
                <ItemCard
                  key={item.id}
                  item={item}
                  index={index}
                  thumbnailUrl={client.mediaUrl(item.id, 'thumbnail')}
                  selected={selected.has(item.id)}
                  focused={item.id === focusId}
                  onClick={onItemClick}
                  onOpen={onItemOpen}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
