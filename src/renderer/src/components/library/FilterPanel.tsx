import { ItemStatus, MediaKind } from '../../../../shared/schemas';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Icon } from '../common/Icon';
import { EMPTY_FILTERS, hasActiveFilters, type LibraryFilters } from './filters';

export function FilterPanel({
  filters,
  onChange,
  facetsKey,
}: {
  filters: LibraryFilters;
  onChange(filters: LibraryFilters): void;
  /** Changes when the library changes, so new devices and officers appear. */
  facetsKey: number;
}) {
  const { t } = useI18n();
  const client = useClient();
  const facets = useLoad(() => client.call('library.facets', {}), `facets:${facetsKey}`);
  const set = <K extends keyof LibraryFilters>(key: K, value: LibraryFilters[K]) =>
    onChange({ ...filters, [key]: value });

  return (
    <aside className="filter-panel" aria-label={t('filters.title')} data-testid="filter-panel">
      <h2 className="panel-title">{t('filters.title')}</h2>
      <label className="field">
        <span>{t('filters.search')}</span>
        <div className="input-with-icon">
          <Icon name="search" size={14} />
          <input
            type="search"
            value={filters.text}
            placeholder={t('filters.searchPlaceholder')}
            onChange={(e) => set('text', e.target.value)}
            data-testid="filter-text"
          />
        </div>
      </label>
      <label className="field">
        <span>{t('filters.recordedFrom')}</span>
        <input
          type="date"
          value={filters.recordedFrom}
          onChange={(e) => set('recordedFrom', e.target.value)}
          data-testid="filter-from"
        />
      </label>
      <label className="field">
        <span>{t('filters.recordedTo')}</span>
        <input
          type="date"
          value={filters.recordedTo}
          onChange={(e) => set('recordedTo', e.target.value)}
          data-testid="filter-to"
        />
      </label>
      <label className="field">
        <span>{t('filters.device')}</span>
        <select value={filters.deviceId} onChange={(e) => set('deviceId', e.target.value)} data-testid="filter-device">
          <option value="">{t('filters.any')}</option>
          {(facets.data?.deviceIds ?? []).map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('filters.officer')}</span>
        <select
          value={filters.officerId}
          onChange={(e) => set('officerId', e.target.value)}
          data-testid="filter-officer"
        >
          <option value="">{t('filters.any')}</option>
          {(facets.data?.officerIds ?? []).map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('filters.kind')}</span>
        <select
          value={filters.kind}
          onChange={(e) => set('kind', e.target.value as LibraryFilters['kind'])}
          data-testid="filter-kind"
        >
          <option value="">{t('filters.any')}</option>
          {MediaKind.options.map((kind) => (
            <option key={kind} value={kind}>
              {t(`kind.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('filters.status')}</span>
        <select
          value={filters.status}
          onChange={(e) => set('status', e.target.value as LibraryFilters['status'])}
          data-testid="filter-status"
        >
          <option value="">{t('filters.any')}</option>
          {ItemStatus.options.map((status) => (
            <option key={status} value={status}>
              {t(`status.${status}`)}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="btn btn-small"
        disabled={!hasActiveFilters(filters)}
        onClick={() => onChange({ ...EMPTY_FILTERS, sort: filters.sort, order: filters.order })}
        data-testid="filter-clear"
      >
        {t('filters.clear')}
      </button>
    </aside>
  );
}
