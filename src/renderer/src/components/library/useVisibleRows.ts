import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, type RefObject } from 'react';
import type { LibraryPages } from './useLibraryPages';

/** Item indexes on screen, inclusive; the pages covering them are fetched. */
export interface VisibleRange {
  start: number;
  end: number;
}

/** Which modifier keys a click came with: Shift extends a range, Ctrl (Cmd on a Mac) toggles. */
export interface ClickKeys {
  shift: boolean;
  toggle: boolean;
}

export function clickKeys(event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): ClickKeys {
  return { shift: event.shiftKey, toggle: event.ctrlKey || event.metaKey };
}

/** What the library view hands to either of its modes, grid or list. */
export interface LibraryModeProps {
  pages: LibraryPages;
  total: number;
  selected: ReadonlySet<string>;
  focusId: string | null;
  /** Scrolled into view when it changes (the keyboard moved there). */
  focusIndex: number | null;
  onItemClick(index: number, id: string, keys: ClickKeys): void;
  onItemOpen(id: string): void;
  onRangeChange(range: VisibleRange): void;
  /** Items per row, for the arrow keys: the grid's columns, 1 in the list. */
  onColumnsChange(columns: number): void;
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
  focusIndex,
}: {
  scrollRef: RefObject<HTMLElement | null>;
  rowCount: number;
  rowHeight: number;
  overscan: number;
  itemsPerRow: number;
  onRangeChange(range: VisibleRange): void;
  focusIndex: number | null;
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
  const focusRow = focusIndex === null ? null : Math.floor(focusIndex / itemsPerRow);
  useEffect(() => {
    if (focusRow !== null && focusRow < rowCount) virtualizer.scrollToIndex(focusRow, { align: 'auto' });
  }, [focusRow, rowCount, virtualizer]);
  return { virtualizer, rows };
}
