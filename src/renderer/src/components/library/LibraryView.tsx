import { useCallback, useEffect, useRef, useState } from 'react';
import { useStationEvent } from '../../hooks/useEvent';
import { useI18n, type MessageKey } from '../../i18n';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Select } from '../common/Select';
import { Spinner } from '../common/Spinner';
import { hasActiveFilters, type LibraryFilters, type LibraryPageQuery, type SortField } from './filters';
import { LibraryGrid } from './LibraryGrid';
import { LibraryList } from './LibraryList';
import { useLibraryPages } from './useLibraryPages';
import type { VisibleRange } from './useVisibleRows';

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

interface LibraryViewProps {
  filters: LibraryFilters;
  query: LibraryPageQuery;
  onFiltersChange(filters: LibraryFilters): void;
  selectedId: string | null;
  onSelect(id: string): void;
  onImport(): void;
  onLibraryChanged(): void;
}

export function LibraryView(props: LibraryViewProps) {
  const { filters, query, onFiltersChange, selectedId, onSelect, onImport, onLibraryChanged } = props;
  const { t, locale } = useI18n();
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
  const viewProps = { pages, total: total ?? 0, selectedId, onSelect, onRangeChange: setRange };

  return (
    <section className="library" aria-label={t('app.name')} data-testid="library">
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
