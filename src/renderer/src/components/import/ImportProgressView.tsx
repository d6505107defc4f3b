import { useEffect, useState } from 'react';
import type { ImportFileResult, ImportProgress } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useStationEvent } from '../../hooks/useEvent';
import { useI18n } from '../../i18n';
import { formatSize } from '../../lib/size';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { ProgressBar, progressRatio } from '../common/ProgressBar';
import { OutcomeMark } from './marks';

/** Most recent finished files shown under the bars; the full list is in the record. */
const RECENT_FILES = 8;

/** Live view of a running import from the engine's events; calls `onFinished` once the record is final. */
export function ImportProgressView({ importId, onFinished }: { importId: string; onFinished(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const cancel = useAction();
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [done, setDone] = useState<ImportFileResult[]>([]);
  const [cancelling, setCancelling] = useState(false);

  useStationEvent('import.progress', (event) => {
    if (event.importId === importId) setProgress(event);
  });
  useStationEvent('import.fileDone', (event) => {
    if (event.importId === importId) setDone((list) => [event.result, ...list].slice(0, RECENT_FILES));
  });
  useStationEvent('import.finished', (event) => {
    if (event.importId === importId) onFinished();
  });

  // A small import can finish before this view subscribed: ask once whether it already has.
  useEffect(() => {
    let current = true;
    client.call('import.get', { importId }).then(
      (record) => {
        if (current && record.state !== 'running') onFinished();
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, importId, onFinished]);

  const requestCancel = async () => {
    setCancelling(true);
    const ok = await cancel.run(() => client.call('import.cancel', { importId }));
    if (!ok) setCancelling(false);
  };

  const overall = progress ? progressRatio(progress.bytesDone, progress.bytesTotal) : 0;
  const file = progress ? progressRatio(progress.fileBytesDone, progress.fileBytesTotal) : 0;
  return (
    <div className="import-progress" data-testid="import-progress" aria-live="polite">
      <div className="progress-block">
        <div className="progress-head">
          <strong>{t('progress.overall')}</strong>
          <span className="spacer" />
          {progress ? (
            <span className="muted dot-list" data-testid="progress-files">
              <span>{t('progress.files', { done: progress.filesDone, total: progress.filesTotal })}</span>
              <span>
                {t('progress.bytes', {
                  done: formatSize(progress.bytesDone, t),
                  total: formatSize(progress.bytesTotal, t),
                })}
              </span>
            </span>
          ) : (
            <span className="muted">{t('progress.waiting')}</span>
          )}
        </div>
        <ProgressBar value={overall} label={t('progress.overall')} testId="progress-overall" />
      </div>
      <div className="progress-block">
        <div className="progress-head">
          <strong>{t('progress.current')}</strong>
          {progress ? (
            <span className="mark mark-info" data-testid="progress-phase">
              {t(`progress.phase.${progress.phase}`)}
            </span>
          ) : null}
          <span className="spacer" />
          {progress ? (
            <span className="muted">
              {t('progress.bytes', {
                done: formatSize(progress.fileBytesDone, t),
                total: formatSize(progress.fileBytesTotal, t),
              })}
            </span>
          ) : null}
        </div>
        <div className="mono small ellipsis current-path" title={progress?.currentPath ?? ''}>
          {progress?.currentPath ?? ' '}
        </div>
        <ProgressBar value={file} label={t('progress.current')} />
      </div>
      {done.length ? (
        <ul className="done-files">
          {done.map((result) => (
            <li key={result.path}>
              <OutcomeMark status={result.status} />
              <span className="ellipsis">{result.relativePath || result.originalName}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner error={cancel.error} />
      <div className="form-actions">
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => void requestCancel()}
          disabled={cancelling}
          data-testid="import-cancel"
        >
          {t(cancelling ? 'progress.cancelling' : 'progress.cancel')}
        </button>
      </div>
    </div>
  );
}
