import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, type RefObject } from 'react';
import type { LibraryPages } from './useLibraryPages';

/** Item indexes on screen, inclusive; the pages covering them are fetched. */
export interface VisibleRange {
  start: number;
  end: number;
}

/** What the library view hands to either of its modes, grid or list. */
export interface LibraryModeProps {
  pages: LibraryPages;
  total: number;
  selectedId: string | null;
  onSelect(id: string): void;
  onRangeChange(range: VisibleRange): void;
}

/**
 * Only the rows on screen (plus `overscan`) exist in the DOM; the items they hold are reported as
 * the visible range. A row holds `itemsPerRow` items: the grid's columns, one in the list.
 */
export function useVisibleRows({
  scrollRef,
  rowCount,
  rowHeight,
  overscan,
  itemsPerRow,
  onRangeChange,
}: {
  scrollRef: RefObject<HTMLElement | null>;
  rowCount: number;
  rowHeight: number;
  overscan: number;
  itemsPerRow: number;
  onRangeChange(range: VisibleRange): void;
}) {
  // The virtualizer is read fresh on every render and never passed to memoised children.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rowCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan,
  });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? 0;
  useEffect(() => {
    onRangeChange({ start: firstRow * itemsPerRow, end: (lastRow + 1) * itemsPerRow - 1 });
  }, [firstRow, lastRow, itemsPerRow, onRangeChange]);
  return { virtualizer, rows };
}
