import { useEffect, useState } from 'react';
import type { ImportRecord } from '../../../../shared/schemas';
import { useI18n, type MessageKey } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Icon } from '../common/Icon';
import { forgetWatchedImport, watchedImport } from './watchedImport';

type Finished = Omit<ImportRecord, 'files'>;

/**
 * When the station opens, the import this browser started and never saw end: still running, it
 * opens its progress again; finished while no tab watched, a banner says how it ended (with its
 * totals and a link to the record) until it is opened or dismissed.
 */
export function UnwatchedImportNotice({
  onResume,
  onOpenRecord,
}: {
  onResume(importId: string): void;
  onOpenRecord(importId: string): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [finished, setFinished] = useState<Finished | null>(null);

  useEffect(() => {
    const importId = watchedImport();
    if (!importId) return;
    let live = true;
    client.call('import.get', { importId }).then(
      (record) => {
        if (!live) return;
        if (record.state === 'running') onResume(importId);
        else setFinished(record);
      },
      // An import this station no longer knows (another station's data folder): nothing to say.
      () => forgetWatchedImport(importId),
    );
    return () => {
      live = false;
    };
    // Once, when the station opens.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  if (!finished) return null;
  const done = () => {
    forgetWatchedImport(finished.id);
    setFinished(null);
  };
  const c = finished.counts;
  return (
    <div
      className={`unwatched-import banner ${finished.state === 'completed' ? 'banner-ok' : 'banner-warn'}`}
      role="status"
      data-testid="unwatched-import"
      data-state={finished.state}
    >
      <Icon name={finished.state === 'completed' ? 'import' : 'warning'} />
      <span>
        {t(`unwatchedImport.${finished.state}` as MessageKey, {
          imported: c.imported ?? 0,
          duplicate: c.duplicate ?? 0,
          failed: (c.failed ?? 0) + (c.undecodable ?? 0),
          skipped: c.skipped ?? 0,
        })}
      </span>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-small"
        onClick={() => {
          done();
          onOpenRecord(finished.id);
        }}
        data-testid="unwatched-import-open"
      >
        {t('unwatchedImport.open')}
      </button>
      <button type="button" className="btn-icon" onClick={done} aria-label={t('common.close')}>
        <Icon name="close" size={12} />
      </button>
    </div>
  );
}
