import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type Dispatch,
  type KeyboardEvent,
  type SetStateAction,
} from 'react';
import { BATCH_MAX_ITEMS } from '../../../../shared/batchSchemas';
import { useStationEvent } from '../../hooks/useEvent';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { useI18n, type MessageKey } from '../../i18n';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Select } from '../common/Select';
import { Spinner } from '../common/Spinner';
import { hasActiveFilters, type LibraryFilters, type LibraryPageQuery, type SortField } from './filters';
import { LibraryGrid } from './LibraryGrid';
import { LibraryList } from './LibraryList';
import { BatchBar } from './BatchBar';
import { keepOnly, moveIndex, selectOnly, selectRange, toggle, type LibrarySelection } from './selection';
import { useLibraryPages } from './useLibraryPages';
import type { ClickKeys, VisibleRange } from './useVisibleRows';

export type LibraryMode = 'grid' | 'list';

const SORT_FIELDS: SortField[] = ['importedAt', 'recordedAt', 'name', 'size'];
/** The toolbar's mode switch; each mode's icon has the mode's name. */
const MODES: Array<{ mode: LibraryMode; label: MessageKey }> = [
  { mode: 'grid', label: 'library.viewGrid' },
  { mode: 'list', label: 'library.viewList' },
];
/** Library change events come in bursts during an import; one refresh per burst is enough. */
const REFRESH_THROTTLE_MS = 400;
/** While thumbnails on screen are still being made, look again after this long. */
const PENDING_RECHECK_MS = 2_500;
/** The most rows library.query returns at once. */
const QUERY_LIMIT = 500;

interface LibraryViewProps {
  filters: LibraryFilters;
  query: LibraryPageQuery;
  onFiltersChange(filters: LibraryFilters): void;
  selection: LibrarySelection;
  onSelectionChange: Dispatch<SetStateAction<LibrarySelection>>;
  onImport(): void;
  onLibraryChanged(): void;
}

export function LibraryView(props: LibraryViewProps) {
  const { filters, query, onFiltersChange, selection, onSelectionChange, onImport, onLibraryChanged } = props;
  const { t, locale } = useI18n();
  const client = useClient();
  const { navigate } = useNavigation();
  const [columns, setColumns] = useState(1);
  const [capped, setCapped] = useState(false);
  const [pruneTick, setPruneTick] = useState(0);
  const sectionRef = useRef<HTMLElement>(null);
  const [mode, setMode] = useState<LibraryMode>('grid');
  const pages = useLibraryPages(query);
  const [range, setRange] = useState<VisibleRange>({ start: 0, end: 0 });
  const { ensureRange, refresh, itemAt, version } = pages;

  useEffect(() => {
    ensureRange(range.start, range.end);
  }, [range, ensureRange, version]);

  const refreshTimer = useRef<number | null>(null);
  const scheduleRefresh = useCallback(
    (delayMs: number) => {
      if (refreshTimer.current !== null) return;
      refreshTimer.current = window.setTimeout(() => {
        refreshTimer.current = null;
        refresh();
        setPruneTick((n) => n + 1);
      }, delayMs);
    },
    [refresh],
  );
  useEffect(
    () => () => {
      if (refreshTimer.current !== null) window.clearTimeout(refreshTimer.current);
    },
    [],
  );

  useStationEvent('library.changed', () => {
    scheduleRefresh(REFRESH_THROTTLE_MS);
    onLibraryChanged();
  });
  // Case membership is a filter: adding to a case may move items into or out of the list.
  useStationEvent('cases.changed', () => scheduleRefresh(REFRESH_THROTTLE_MS));

  // The selection holds only items the list still shows: after each refresh and filter change,
  // the engine says which selected ids still exist and match; the others (and the detail pane's
  // item, if it left) are dropped.
  const { sort: _sort, order: _order, ...filterOnly } = query;
  const filterKey = JSON.stringify(filterOnly);
  const selectionRef = useRef(selection);
  useEffect(() => {
    selectionRef.current = selection;
  }, [selection]);
  useEffect(() => {
    const current = selectionRef.current;
    const asked = [...new Set([...current.ids, ...(current.focusId ? [current.focusId] : [])])].slice(
      0,
      BATCH_MAX_ITEMS,
    );
    if (asked.length === 0) return;
    let live = true;
    client.call('library.matching', { query: JSON.parse(filterKey) as typeof filterOnly, ids: asked }).then(
      ({ ids }) => {
        if (!live) return;
        const askedSet = new Set(asked);
        const present = new Set(ids);
        onSelectionChange((latest) => keepOnly(latest, (id) => !askedSet.has(id) || present.has(id)));
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, filterKey, pruneTick, onSelectionChange]);

  // Thumbnails are made in the background; poll the rows on screen until theirs are settled, in
  // case the host does not announce each one.
  useEffect(() => {
    for (let index = range.start; index <= range.end; index++) {
      if (itemAt(index)?.thumbnail === 'pending') {
        scheduleRefresh(PENDING_RECHECK_MS);
        return;
      }
    }
  }, [range, itemAt, scheduleRefresh]);

  const total = pages.total;
  const filtered = hasActiveFilters(filters);

  /** Ids of the items at [a, b] in the list (at most a batch): from the loaded pages, else asked for. */
  const idsBetween = useCallback(
    async (a: number, b: number): Promise<string[]> => {
      const lo = Math.max(0, Math.min(a, b));
      const hi = Math.min(Math.max(a, b), lo + BATCH_MAX_ITEMS - 1);
      const loaded: string[] = [];
      for (let index = lo; index <= hi; index++) {
        const item = itemAt(index);
        if (!item) break;
        loaded.push(item.id);
      }
      if (loaded.length === hi - lo + 1) return loaded;
      const ids: string[] = [];
      for (let offset = lo; offset <= hi; offset += QUERY_LIMIT) {
        const limit = Math.min(QUERY_LIMIT, hi - offset + 1);
        const page = await client.call('library.query', { ...query, offset, limit });
        ids.push(...page.items.map((item) => item.id));
        if (page.items.length < limit) break;
      }
      return ids;
    },
    [client, itemAt, query],
  );

  const onItemClick = useCallback(
    (index: number, id: string, keys: ClickKeys) => {
      setCapped(false);
      if (keys.shift) {
        const anchor = selectionRef.current.anchorIndex ?? index;
        void idsBetween(anchor, index).then((ids) => onSelectionChange((s) => selectRange(s, index, id, ids)));
      } else if (keys.toggle) {
        onSelectionChange((s) => toggle(s, index, id));
      } else {
        onSelectionChange(selectOnly(index, id));
      }
    },
    [idsBetween, onSelectionChange],
  );
  const onItemOpen = useCallback((id: string) => navigate({ view: 'review', itemId: id }), [navigate]);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const count = total ?? 0;
    const target = event.target as HTMLElement;
    // Keys typed in a field or inside a dialog opened from the batch bar are not list moves.
    if (
      target instanceof HTMLInputElement ||
      target instanceof HTMLSelectElement ||
      target.closest('[role="dialog"], .dialog-backdrop')
    ) {
      return;
    }
    if (event.key === 'a' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      setCapped(count > BATCH_MAX_ITEMS);
      void idsBetween(0, count - 1).then((ids) =>
        onSelectionChange((s) => ({ ...s, ids, anchorIndex: s.anchorIndex ?? 0 })),
      );
      return;
    }
    if (event.key === 'Enter') {
      if (selection.focusId === null) return;
      event.preventDefault();
      onItemOpen(selection.focusId);
      return;
    }
    const next = moveIndex(selection.focusIndex, event.key, columns, count);
    if (next === null) return;
    event.preventDefault();
    sectionRef.current?.focus({ preventScroll: true });
    const item = itemAt(next);
    if (event.shiftKey) {
      const anchor = selection.anchorIndex ?? selection.focusIndex ?? next;
      void idsBetween(anchor, next).then((ids) => {
        const focusId = ids[next - Math.min(anchor, next)] ?? item?.id;
        if (focusId) onSelectionChange((s) => selectRange(s, next, focusId, ids));
      });
    } else if (item) {
      onSelectionChange(selectOnly(next, item.id));
    } else {
      void idsBetween(next, next).then(([id]) => id && onSelectionChange(selectOnly(next, id)));
    }
  };

  const selected = useMemo(() => new Set(selection.ids), [selection.ids]);
  const viewProps = {
    pages,
    total: total ?? 0,
    selected,
    focusId: selection.focusId,
    focusIndex: selection.focusIndex,
    onItemClick,
    onItemOpen,
    onRangeChange: setRange,
    onColumnsChange: setColumns,
  };

  return (
    <section
      className="library"
      aria-label={t('app.name')}
      data-testid="library"
      ref={sectionRef}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <div className="library-toolbar">
        <span className="library-count" data-testid="library-count" data-total={total ?? ''}>
          {total === null
            ? t('common.loading')
            : t(total === 1 ? 'library.countOne' : 'library.count', { count: total.toLocaleString(locale) })}
        </span>
        <div className="spacer" />
        <label className="inline-field">
          <span>{t('library.sort')}</span>
          <Select
            value={filters.sort}
            options={SORT_FIELDS}
            labelOf={(field) => t(`sort.${field}`)}
            onValueChange={(sort) => onFiltersChange({ ...filters, sort })}
            testId="library-sort"
          />
        </label>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => onFiltersChange({ ...filters, order: filters.order === 'asc' ? 'desc' : 'asc' })}
          aria-label={t(filters.order === 'asc' ? 'library.orderAsc' : 'library.orderDesc')}
          title={t(filters.order === 'asc' ? 'library.orderAsc' : 'library.orderDesc')}
        >
          {filters.order === 'asc' ? '↑' : '↓'}
        </button>
        <div className="segmented" role="group">
          {MODES.map(({ mode: option, label }) => (
            <button
              key={option}
              type="button"
              className={mode === option ? 'active' : ''}
              aria-pressed={mode === option}
              aria-label={t(label)}
              title={t(label)}
              onClick={() => setMode(option)}
              data-testid={`view-${option}`}
            >
              <Icon name={option} size={14} />
            </button>
          ))}
        </div>
      </div>
      {selection.ids.length > 0 ? (
        <BatchBar
          selection={selection}
          capped={capped}
          onClear={() => {
            setCapped(false);
            onSelectionChange((s) => ({ ...s, ids: [] }));
          }}
        />
      ) : null}
      <ErrorBanner error={pages.error} />
      {total === null && !pages.error ? (
        <div className="library-empty">
          <Spinner label={t('common.loading')} />
        </div>
      ) : total === 0 ? (
        filtered ? (
          <div className="library-empty" data-testid="library-no-match">
            <p>{t('library.noMatch')}</p>
          </div>
        ) : (
          <div className="library-empty" data-testid="library-empty">
            <Icon name="camera" size={40} />
            <h2>{t('library.emptyTitle')}</h2>
            <p className="muted">{t('library.emptyBody')}</p>
            <button type="button" className="btn btn-primary" onClick={onImport}>
              <Icon name="import" />
              {t('library.emptyAction')}
            </button>
          </div>
        )
      ) : mode === 'grid' ? (
        <LibraryGrid {...viewProps} />
      ) : (
        <LibraryList {...viewProps} />
      )}
    </section>
  );
}
