/**
 * The library's selection, by item id so it holds while rows scroll out of the DOM and pages are
 * dropped. `focus` is the item the keyboard is on and the detail pane shows; `anchor` is where a
 * Shift range starts. Indexes are positions in the current list; ids are what actions act on.
 * Pure: the view resolves indexes to ids (fetching pages not yet loaded) before calling these.
 */
export interface LibrarySelection {
  /** Selected ids, in the order they were selected. */
  ids: readonly string[];
  focusId: string | null;
  focusIndex: number | null;
  anchorIndex: number | null;
}

export const EMPTY_SELECTION: LibrarySelection = { ids: [], focusId: null, focusIndex: null, anchorIndex: null };

/** A plain click or arrow key: this item alone. */
export function selectOnly(index: number, id: string): LibrarySelection {
  return { ids: [id], focusId: id, focusIndex: index, anchorIndex: index };
}

/** Ctrl/Cmd+click: adds or removes one item; the next Shift range starts here. */
export function toggle(selection: LibrarySelection, index: number, id: string): LibrarySelection {
  const has = selection.ids.includes(id);
  const ids = has ? selection.ids.filter((x) => x !== id) : [...selection.ids, id];
  return { ids, focusId: id, focusIndex: index, anchorIndex: index };
}

/** Shift+click or Shift+arrow: the items from the anchor to here (`rangeIds`, resolved by the caller). */
export function selectRange(
  selection: LibrarySelection,
  index: number,
  id: string,
  rangeIds: readonly string[],
): LibrarySelection {
  return { ids: [...rangeIds], focusId: id, focusIndex: index, anchorIndex: selection.anchorIndex ?? index };
}

/**
 * Keeps the ids still in the list (after a refresh or a filter change); the focus goes if it left.
 * `listed(id)` is false only for ids known to have left: ids selected since the check was asked
 * answer true.
 */
export function keepOnly(selection: LibrarySelection, listed: (id: string) => boolean): LibrarySelection {
  const ids = selection.ids.filter(listed);
  const focusKept = selection.focusId === null || listed(selection.focusId);
  if (ids.length === selection.ids.length && focusKept) return selection;
  return focusKept ? { ...selection, ids } : { ids, focusId: null, focusIndex: null, anchorIndex: null };
}

/**
 * The index an arrow key, Home or End moves the focus to, within [0, total); null for any other
 * key, which the list leaves to the browser. `columns`: items per row (1 in the list).
 */
export function moveIndex(from: number | null, key: string, columns: number, total: number): number | null {
  if (total === 0) return null;
  if (key === 'Home') return 0;
  if (key === 'End') return total - 1;
  const step: Record<string, number> = { ArrowUp: -columns, ArrowDown: columns, ArrowLeft: -1, ArrowRight: 1 };
  const delta = step[key];
  if (delta === undefined) return null;
  if (from === null) return 0;
  // Left and right move within the grid's rows; in the list (one column) they do nothing.
  if (columns === 1 && (key === 'ArrowLeft' || key === 'ArrowRight')) return from;
  return Math.min(total - 1, Math.max(0, from + delta));
}
