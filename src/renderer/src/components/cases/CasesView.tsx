import { useState } from 'react';
import { CaseListState } from '../../../../shared/reviewSchemas';
import { useDebounced } from '../../hooks/useDebounced';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useNavigation } from '../../station/NavigationContext';
import { useStation } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Select } from '../common/Select';
import { Spinner } from '../common/Spinner';
import { CaseFormDialog } from './CaseFormDialog';
import { CaseStateBadge } from './caseMarks';
import { CaseNumberingDialog } from './CaseNumberingDialog';

const SEARCH_DEBOUNCE_MS = 300;
/** One screenful and then some; a station holds hundreds of cases, and search narrows the rest. */
const LIST_LIMIT = 200;

type Overlay = 'none' | 'create' | 'numbering';

/** Route `#/cases`: every case, newest first, with search, a state filter and "New case". */
export function CasesView() {
  const { t, locale } = useI18n();
  const { client, session } = useStation();
  const { navigate } = useNavigation();
  const [text, setText] = useState('');
  const [state, setState] = useState<CaseListState | ''>('');
  const [overlay, setOverlay] = useState<Overlay>('none');
  const [revision, setRevision] = useState(0);
  const debouncedText = useDebounced(text.trim(), SEARCH_DEBOUNCE_MS);
  const list = useLoad(
    () =>
      client.call('cases.list', {
        text: debouncedText || undefined,
        state: state || undefined,
        offset: 0,
        limit: LIST_LIMIT,
      }),
    `${debouncedText}|${state}|${revision}`,
  );
  useStationEvent('cases.changed', () => setRevision((r) => r + 1));

  const cases = list.data?.cases;
  const total = list.data?.total;
  const filtered = debouncedText !== '' || state !== '';
  const isAdmin = session.account.role === 'admin';

  return (
    <section className="cases-page" data-testid="cases-view">
      <header className="page-toolbar">
        <h1 className="page-title">{t('cases.title')}</h1>
        <span className="muted" data-testid="cases-count" data-total={total ?? ''}>
          {total === undefined
            ? null
            : t(total === 1 ? 'cases.countOne' : 'cases.count', { count: total.toLocaleString(locale) })}
        </span>
        <div className="input-with-icon page-search">
          <Icon name="search" size={14} />
          <input
            type="search"
            value={text}
            aria-label={t('cases.search')}
            placeholder={t('cases.searchPlaceholder')}
            onChange={(e) => setText(e.target.value)}
            data-testid="cases-search"
          />
        </div>
        <label className="inline-field">
          <span>{t('cases.stateFilter')}</span>
          <Select
            value={state}
            options={CaseListState.options}
            labelOf={(option) => t(`caseListState.${option}`)}
            anyLabel={t('cases.anyState')}
            onValueChange={setState}
            testId="cases-state"
          />
        </label>
        <div className="spacer" />
        {isAdmin ? (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => setOverlay('numbering')}
            data-testid="open-numbering"
          >
            {t('numbering.open')}
          </button>
        ) : null}
        <button type="button" className="btn btn-primary" onClick={() => setOverlay('create')} data-testid="new-case">
          {t('cases.new')}
        </button>
      </header>
      <ErrorBanner error={list.error} />
      {cases === undefined ? (
        list.error ? null : (
          <div className="page-empty">
            <Spinner label={t('common.loading')} />
          </div>
        )
      ) : cases.length === 0 ? (
        filtered ? (
          <div className="page-empty" data-testid="cases-no-match">
            <p>{t('cases.noMatch')}</p>
          </div>
        ) : (
          <div className="page-empty" data-testid="cases-empty">
            <Icon name="folder" size={40} />
            <h2>{t('cases.emptyTitle')}</h2>
            <p className="muted">{t('cases.emptyBody')}</p>
            <button type="button" className="btn btn-primary" onClick={() => setOverlay('create')}>
              {t('cases.new')}
            </button>
          </div>
        )
      ) : (
        <div className="page-scroll">
          <table className="record-table cases-table" data-testid="cases-table">
            <thead>
              <tr>
                <th>{t('cases.col.number')}</th>
                <th>{t('cases.col.title')}</th>
                <th>{t('cases.col.place')}</th>
                <th>{t('cases.col.occurredAt')}</th>
                <th>{t('cases.col.state')}</th>
                <th className="num">{t('cases.col.items')}</th>
                <th>{t('cases.col.created')}</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr
                  key={c.id}
                  className="clickable-row"
                  tabIndex={0}
                  onClick={() => navigate({ view: 'case', caseRef: c.id })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') navigate({ view: 'case', caseRef: c.id });
                  }}
                  data-testid="case-row"
                  data-case-id={c.id}
                >
                  <td className="mono nowrap">{c.number}</td>
                  <td className="case-title-cell">{c.title}</td>
                  <td>{c.place || <span className="muted">{t('common.none')}</span>}</td>
                  <td className="mono nowrap">{formatInstant(c.occurredAt) ?? t('common.none')}</td>
                  <td className="nowrap">
                    <CaseStateBadge state={c.state} />
                    {c.state === 'draft' && c.lastVersionState === 'rejected' ? (
                      <span className="mark mark-danger case-returned" data-testid="case-row-returned">
                        {t('caseState.returned')}
                      </span>
                    ) : null}
                    {c.state !== 'draft' || c.sealedVersions > 0 ? (
                      <span
                        className="mono muted small case-version"
                        data-testid="case-row-version"
                        data-version={c.version}
                      >
                        {t('versions.short', { version: c.version })}
                      </span>
                    ) : null}
                  </td>
                  <td className="num">{c.itemCount}</td>
                  <td className="nowrap">
                    <span>{c.createdBy}</span>
                    <span className="mono muted block">{formatInstant(c.createdAt)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {total !== undefined && total > cases.length ? (
            <p className="muted pad">{t('cases.countShown', { shown: cases.length, total })}</p>
          ) : null}
        </div>
      )}
      {overlay === 'create' ? (
        <CaseFormDialog
          onClose={() => setOverlay('none')}
          onCreated={(created) => {
            setOverlay('none');
            navigate({ view: 'case', caseRef: created.id });
          }}
        />
      ) : null}
      {overlay === 'numbering' ? <CaseNumberingDialog onClose={() => setOverlay('none')} /> : null}
    </section>
  );
}
