import { ItemOrigin, ItemStatus, MediaKind } from '../../../../shared/schemas';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { DateTimeField } from '../common/DateTimeField';
import { FormField } from '../common/FormField';
import { Icon } from '../common/Icon';
import { Select } from '../common/Select';
import { EMPTY_FILTERS, calendarDay, hasActiveFilters, type LibraryFilters } from './filters';

/** The newest cases offered as a filter; a station with more finds older ones on the Cases page. */
const CASE_LIMIT = 200;

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
  const { t, locale } = useI18n();
  const client = useClient();
  const facets = useLoad(() => client.call('library.facets', {}), `facets:${facetsKey}`);
  const taxonomy = useLoad(() => client.call('taxonomy.get', {}), 'taxonomy');
  const cases = useLoad(() => client.call('cases.list', { offset: 0, limit: CASE_LIMIT }), `cases:${facetsKey}`);
  const types = taxonomy.data?.types ?? [];
  const typeName = (code: string) => {
    const type = types.find((x) => x.code === code);
    return type ? (locale === 'zh-CN' ? type.nameZh : type.nameEn) : code;
  };
  const caseList = cases.data?.cases ?? [];
  const caseName = (id: string) => {
    const c = caseList.find((x) => x.id === id);
    return c ? `${c.number} ${c.title}` : id;
  };
  const set = <K extends keyof LibraryFilters>(key: K, value: LibraryFilters[K]) =>
    onChange({ ...filters, [key]: value });
  const anyLabel = t('filters.any');
  // A day typed in part is not applied yet; saying so beats a list that silently ignores it.
  const dayProblem = (text: string) => (text.trim() === '' || calendarDay(text) ? null : t('filters.dayInvalid'));

  return (
    <aside className="filter-panel" aria-label={t('filters.title')} data-testid="filter-panel">
      <h2 className="panel-title">{t('filters.title')}</h2>
      <FormField label={t('filters.search')}>
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
      </FormField>
      <DateTimeField
        label={t('filters.recordedFrom')}
        withTime={false}
        value={filters.recordedFrom}
        onValueChange={(day) => set('recordedFrom', day)}
        error={dayProblem(filters.recordedFrom)}
        testId="filter-from"
      />
      <DateTimeField
        label={t('filters.recordedTo')}
        withTime={false}
        value={filters.recordedTo}
        onValueChange={(day) => set('recordedTo', day)}
        error={dayProblem(filters.recordedTo)}
        testId="filter-to"
      />
      <FormField label={t('filters.device')}>
        <Select
          value={filters.deviceId}
          options={facets.data?.deviceIds ?? []}
          anyLabel={anyLabel}
          onValueChange={(id) => set('deviceId', id)}
          testId="filter-device"
        />
      </FormField>
      <FormField label={t('filters.officer')}>
        <Select
          value={filters.officerId}
          options={facets.data?.officerIds ?? []}
          anyLabel={anyLabel}
          onValueChange={(id) => set('officerId', id)}
          testId="filter-officer"
        />
      </FormField>
      <FormField label={t('filters.cameraModel')}>
        <Select
          value={filters.cameraModel}
          options={facets.data?.cameraModels ?? []}
          anyLabel={anyLabel}
          onValueChange={(model) => set('cameraModel', model)}
          testId="filter-camera-model"
        />
      </FormField>
      <FormField label={t('filters.cameraSerial')}>
        <Select
          value={filters.cameraSerial}
          options={facets.data?.cameraSerials ?? []}
          anyLabel={anyLabel}
          onValueChange={(serial) => set('cameraSerial', serial)}
          testId="filter-camera-serial"
        />
      </FormField>
      <FormField label={t('filters.kind')}>
        <Select
          value={filters.kind}
          options={MediaKind.options}
          labelOf={(kind) => t(`kind.${kind}`)}
          anyLabel={anyLabel}
          onValueChange={(kind) => set('kind', kind)}
          testId="filter-kind"
        />
      </FormField>
      <FormField label={t('filters.origin')}>
        <Select
          value={filters.origin}
          options={ItemOrigin.options}
          labelOf={(origin) => t(`origin.${origin}`)}
          anyLabel={anyLabel}
          onValueChange={(origin) => set('origin', origin)}
          testId="filter-origin"
        />
      </FormField>
      <FormField label={t('filters.violation')}>
        <Select
          value={filters.violationCode}
          options={types.map((type) => type.code)}
          labelOf={typeName}
          anyLabel={anyLabel}
          onValueChange={(code) => set('violationCode', code)}
          testId="filter-violation"
        />
      </FormField>
      <FormField label={t('filters.tagged')}>
        <Select
          value={filters.tagged}
          options={['any', 'none'] as const}
          labelOf={(v) => t(v === 'any' ? 'filters.taggedAny' : 'filters.taggedNone')}
          anyLabel={anyLabel}
          onValueChange={(v) => set('tagged', v)}
          testId="filter-tagged"
        />
      </FormField>
      <FormField label={t('filters.case')}>
        <Select
          value={filters.caseId}
          options={caseList.map((c) => c.id)}
          labelOf={caseName}
          anyLabel={anyLabel}
          onValueChange={(id) => set('caseId', id)}
          testId="filter-case"
        />
      </FormField>
      <FormField label={t('filters.status')}>
        <Select
          value={filters.status}
          options={ItemStatus.options}
          labelOf={(status) => t(`status.${status}`)}
          anyLabel={anyLabel}
          onValueChange={(status) => set('status', status)}
          testId="filter-status"
        />
      </FormField>
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
