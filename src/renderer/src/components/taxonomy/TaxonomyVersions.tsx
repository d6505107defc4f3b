import { useState } from 'react';
import type { Taxonomy } from '../../../../shared/reviewSchemas';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { versionMeta, versionNote } from './versionMeta';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { TaxonomyTable } from './TaxonomyTable';
import { rowsOf } from './taxonomyDraft';

type VersionInfo = Omit<Taxonomy, 'types'>;

/** Every saved version, newest first; any of them opens read only, as tags made under it read. */
export function TaxonomyVersions({ versions, current }: { versions: VersionInfo[]; current: number | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<number | null>(null);
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  return (
    <aside className="taxonomy-versions" data-testid="taxonomy-versions">
      <h2 className="panel-title">{t('taxonomy.versions')}</h2>
      <ol className="version-list">
        {sorted.map((v) => (
          <li key={v.version}>
            <button
              type="button"
              className="version-entry"
              onClick={() => setOpen(v.version)}
              aria-label={t('taxonomy.openVersion', { version: v.version })}
              data-testid="taxonomy-version-entry"
              data-version={v.version}
            >
              <span className="version-head">
                <strong>{t('taxonomy.version', { version: v.version })}</strong>
                {v.version === current ? <span className="mark mark-ok">{t('taxonomy.current')}</span> : null}
              </span>
              <span className="muted small">{versionMeta(t, v)}</span>
              {v.note ? <span className="small version-note">{versionNote(t, v)}</span> : null}
            </button>
          </li>
        ))}
      </ol>
      {open !== null ? <VersionDialog version={open} onClose={() => setOpen(null)} /> : null}
    </aside>
  );
}

function VersionDialog({ version, onClose }: { version: number; onClose(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const taxonomy = useLoad(() => client.call('taxonomy.get', { version }), String(version));
  return (
    <Dialog title={t('taxonomy.versionTitle', { version })} onClose={onClose} wide testId="taxonomy-version-dialog">
      <ErrorBanner error={taxonomy.error} />
      {taxonomy.data ? (
        <>
          <div className="taxonomy-meta">
            <span className="muted small">{versionMeta(t, taxonomy.data)}</span>
            {taxonomy.data.note ? <span className="small version-note">{versionNote(t, taxonomy.data)}</span> : null}
          </div>
          <TaxonomyTable rows={rowsOf(taxonomy.data)} editable={false} testId="taxonomy-version-table" />
        </>
      ) : taxonomy.error ? null : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </Dialog>
  );
}
