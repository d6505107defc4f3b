import { useMemo, useState } from 'react';
import type { Taxonomy, ViolationType } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { versionMeta } from './versionMeta';
import { useClient, useStation } from '../../station/StationContext';
import { ErrorBanner, ProblemBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Spinner } from '../common/Spinner';
import {
  countChanges,
  findProblems,
  isRowChanged,
  newRow,
  rowMatches,
  rowsOf,
  typesOf,
  type DraftProblem,
  type DraftRow,
} from './taxonomyDraft';
import { TaxonomyTable } from './TaxonomyTable';
import { TaxonomyVersions } from './TaxonomyVersions';

/**
 * Route `#/taxonomy`: the latest catalogue of violation types. Admins edit it in place and save it
 * as a new version with a note (`taxonomy.update`); earlier versions stay as they were, so tags
 * made under them keep their names. Everyone else reads it.
 */
export function TaxonomyEditor() {
  const { t } = useI18n();
  const client = useClient();
  const latest = useLoad(() => client.call('taxonomy.get', {}), 'latest');
  if (latest.data) return <TaxonomyWorkspace initial={latest.data} />;
  return (
    <section className="taxonomy-page" data-testid="taxonomy-editor">
      <header className="page-toolbar">
        <h1 className="page-title">{t('taxonomy.title')}</h1>
      </header>
      {latest.error ? null : (
        <div className="page-empty">
          <Spinner label={t('common.loading')} />
        </div>
      )}
    </section>
  );
}

function TaxonomyWorkspace({ initial }: { initial: Taxonomy }) {
  const { t } = useI18n();
  const { client, session } = useStation();
  const isAdmin = session.account.role === 'admin';
  const versions = useLoad(() => client.call('taxonomy.versions', {}), 'versions');
  const action = useAction();
  const [taxonomy, setTaxonomy] = useState<Taxonomy>(initial);
  const [rows, setRows] = useState<DraftRow[]>(() => rowsOf(initial));
  const [note, setNote] = useState('');
  const [filter, setFilter] = useState('');
  const [showRetired, setShowRetired] = useState(true);
  const [problems, setProblems] = useState<DraftProblem[]>([]);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);

  const changes = countChanges(rows);
  const visible = useMemo(
    () =>
      rows.filter(
        (row) =>
          row.original === null ||
          (rowMatches(row.type, filter) && (showRetired || !row.type.retired || isRowChanged(row))),
      ),
    [rows, filter, showRetired],
  );

  // The form's own problems are shown until the admin touches the draft again.
  const change = (key: string, type: ViolationType) => {
    setProblems([]);
    setRows((prev) => prev.map((row) => (row.key === key ? { ...row, type } : row)));
  };
  const discardRow = (key: string) => setRows((prev) => prev.filter((row) => row.key !== key));
  const discardAll = () => {
    setRows(rowsOf(taxonomy));
    setProblems([]);
    setNote('');
  };

  const save = async () => {
    const found = findProblems(rows);
    if (note.trim() === '') found.push({ key: 'taxonomy.noteMissing' });
    setProblems(found);
    if (found.length > 0) return;
    const saved = await action.run(() => client.call('taxonomy.update', { types: typesOf(rows), note: note.trim() }));
    if (!saved) return;
    setTaxonomy(saved);
    setRows(rowsOf(saved));
    setNote('');
    setSavedVersion(saved.version);
    versions.reload();
  };

  return (
    <section className="taxonomy-page" data-testid="taxonomy-editor" data-admin={isAdmin}>
      <header className="page-toolbar">
        <h1 className="page-title">{t('taxonomy.title')}</h1>
        <span className="taxonomy-meta">
          <span className="mark mark-info" data-testid="taxonomy-version" data-version={taxonomy.version}>
            {t('taxonomy.version', { version: taxonomy.version })}
          </span>
          <span className="muted small">{versionMeta(t, taxonomy)}</span>
          <span className="muted small">{t('taxonomy.typeCount', { count: taxonomy.types.length })}</span>
        </span>
        <div className="spacer" />
        <div className="input-with-icon page-search">
          <Icon name="search" size={14} />
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            aria-label={t('taxonomy.filter')}
            placeholder={t('taxonomy.filterPlaceholder')}
            data-testid="taxonomy-filter"
          />
        </div>
        <label className="checkbox inline-check">
          <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} />
          <span>{t('taxonomy.showRetired')}</span>
        </label>
        {isAdmin ? (
          <button
            type="button"
            className="btn"
            onClick={() => setRows((prev) => [...prev, newRow()])}
            data-testid="taxonomy-add"
          >
            {t('taxonomy.add')}
          </button>
        ) : null}
      </header>
      {savedVersion !== null && changes === 0 ? (
        <div className="banner banner-ok page-banner" role="status" data-testid="taxonomy-saved">
          <Icon name="check" />
          <span>{t('taxonomy.saved', { version: savedVersion })}</span>
        </div>
      ) : null}
      <div className="taxonomy-body">
        <div className="taxonomy-main">
          <p className="muted small taxonomy-note">{isAdmin ? t('taxonomy.keepNote') : t('taxonomy.readOnly')}</p>
          <div className="page-scroll">
            <TaxonomyTable rows={visible} editable={isAdmin} onChange={change} onDiscard={discardRow} />
            {visible.length === 0 ? <p className="muted pad">{t('taxonomy.noMatch')}</p> : null}
          </div>
          {problems.length > 0 ? (
            <ProblemBanner testId="taxonomy-problems">
              <ul className="problem-list">
                {problems.map((problem, index) => (
                  <li key={index}>{t(problem.key, problem.params)}</li>
                ))}
              </ul>
            </ProblemBanner>
          ) : null}
          <ErrorBanner error={action.error} />
          {isAdmin ? (
            <footer className="taxonomy-save-bar" data-testid="taxonomy-save-bar">
              <input
                value={note}
                onChange={(e) => {
                  setProblems([]);
                  setNote(e.target.value);
                }}
                aria-label={t('taxonomy.note')}
                placeholder={t('taxonomy.notePlaceholder')}
                maxLength={1000}
                className="taxonomy-note-input"
                data-testid="taxonomy-note"
              />
              <span className="muted small nowrap" data-testid="taxonomy-changes" data-count={changes}>
                {changes === 0 ? t('taxonomy.noChanges') : t('taxonomy.changes', { count: changes })}
              </span>
              <button type="button" className="btn" onClick={discardAll} disabled={changes === 0 || action.busy}>
                {t('taxonomy.discard')}
              </button>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => void save()}
                disabled={changes === 0 || action.busy}
                data-testid="taxonomy-save"
              >
                {t('taxonomy.save', { version: taxonomy.version + 1 })}
              </button>
            </footer>
          ) : null}
        </div>
        <TaxonomyVersions versions={versions.data ?? []} current={taxonomy.version} />
      </div>
    </section>
  );
}
