import { useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../../shared/errors';
import type { CaseVersion, ExportProgress, ExportResult } from '../../../../shared/sealSchemas';
import { useStationEvent } from '../../hooks/useEvent';
import { useI18n } from '../../i18n';
import { toAppError } from '../../i18n/errors';
import { formatSize } from '../../lib/size';
import { addSample, bytesPerSecond, formatEta, type RateSample } from '../../lib/transferRate';
import { useClient } from '../../station/StationContext';
import { CopyButton } from '../common/CopyButton';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { ProgressBar, progressRatio } from '../common/ProgressBar';
import { StationPathField, useStationPath } from './StationPathField';

/** Where the last export went, so the next one on the same medium needs no browsing. */
const LAST_TARGET_KEY = 'station.exportTarget';

type Job =
  | { phase: 'setup' }
  | { phase: 'running'; jobId: string; progress: ExportProgress | null; samples: RateSample[]; cancelling: boolean }
  | { phase: 'done'; result: ExportResult };

/** A fresh id for one export, so its progress events and a cancel find it (the contract's JobId pattern). */
function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function readLastTarget(): string {
  try {
    return localStorage.getItem(LAST_TARGET_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * Exports one sealed version (`cases.export`) as a folder or a zip into a folder of the station's
 * file system, with progress, speed and time left from `export.progress`, Cancel, and success only
 * once the station has read the written copy back and verified it.
 */
export function ExportDialog({ caseId, version, onClose }: { caseId: string; version: CaseVersion; onClose(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const [zip, setZip] = useState(false);
  const target = useStationPath(readLastTarget);
  const [job, setJob] = useState<Job>({ phase: 'setup' });
  const [error, setError] = useState<AppError | null>(null);
  const startRef = useRef<HTMLButtonElement>(null);

  useStationEvent('export.progress', (progress) => {
    setJob((current) =>
      current.phase === 'running' && current.jobId === progress.jobId
        ? {
            ...current,
            progress,
            samples: addSample(current.progress?.phase === progress.phase ? current.samples : [], {
              atMs: performance.now(),
              bytes: progress.bytesDone,
            }),
          }
        : current,
    );
  });

  const start = async (event: FormEvent) => {
    event.preventDefault();
    const to = target.take();
    if (to === null) return;
    setError(null);
    try {
      localStorage.setItem(LAST_TARGET_KEY, to);
    } catch {
      // Private mode: the next export simply starts empty.
    }
    const jobId = newJobId();
    setJob({ phase: 'running', jobId, progress: null, samples: [], cancelling: false });
    try {
      const result = await client.call('cases.export', { caseId, version: version.version, to, zip, jobId });
      setJob({ phase: 'done', result });
    } catch (caught) {
      setJob({ phase: 'setup' });
      setError(toAppError(caught));
    }
  };

  const cancel = async () => {
    if (job.phase !== 'running') return;
    setJob({ ...job, cancelling: true });
    try {
      await client.call('cases.exportCancel', { jobId: job.jobId });
    } catch (caught) {
      // The export may have just ended; its own answer says how.
      const appError = toAppError(caught);
      if (appError.code !== 'job.notFound') setError(appError);
    }
  };

  const running = job.phase === 'running';
  return (
    <Dialog
      title={t('export.title', { name: version.packageName })}
      onClose={onClose}
      closable={!running}
      wide
      testId="export-dialog"
    >
      {job.phase === 'done' ? (
        <ExportDone result={job.result} onClose={onClose} onAgain={() => setJob({ phase: 'setup' })} />
      ) : (
        <form className="form" onSubmit={(e) => void start(e)}>
          <fieldset className="export-format" disabled={running}>
            <legend>{t('export.format')}</legend>
            <div className="segmented" role="radiogroup" aria-label={t('export.format')}>
              {[false, true].map((asZip) => (
                <button
                  key={String(asZip)}
                  type="button"
                  role="radio"
                  aria-checked={zip === asZip}
                  className={zip === asZip ? 'active' : undefined}
                  onClick={() => setZip(asZip)}
                  data-testid={asZip ? 'export-zip' : 'export-folder'}
                >
                  <Icon name={asZip ? 'file' : 'folder'} size={14} />
                  {t(asZip ? 'export.zip' : 'export.folder')}
                </button>
              ))}
            </div>
            <small className="muted">{t('export.formatHint')}</small>
          </fieldset>
          <StationPathField
            path={target}
            rowClassName="form-row export-target-row"
            label={t('export.target')}
            hint={t('export.targetHint')}
            placeholder={t('export.targetPlaceholder')}
            testId="export-target"
            browseTestId="export-browse"
            disabled={running}
            autoFocus
            onPicked={() => startRef.current?.focus()}
          />
          <p className="export-size" data-testid="export-size" data-bytes={version.payloadBytes}>
            {t('export.size', { size: formatSize(version.payloadBytes, t) })}
            <br />
            <span className="muted small">{t('export.spaceNote')}</span>
          </p>
          {job.phase === 'running' ? <ExportProgressView job={job} /> : null}
          <ErrorBanner error={error} />
          <div className="form-actions">
            {running ? (
              <button
                type="button"
                className="btn btn-danger"
                onClick={() => void cancel()}
                disabled={job.cancelling}
                data-testid="export-cancel"
              >
                {t('export.cancel')}
              </button>
            ) : (
              <>
                <button type="button" className="btn" onClick={onClose}>
                  {t('common.cancel')}
                </button>
                <button
                  ref={startRef}
                  type="submit"
                  className="btn btn-primary"
                  disabled={target.value.trim() === ''}
                  data-testid="export-start"
                >
                  {t('export.start')}
                </button>
              </>
            )}
          </div>
        </form>
      )}
    </Dialog>
  );
}

function ExportProgressView({ job }: { job: Extract<Job, { phase: 'running' }> }) {
  const { t } = useI18n();
  const progress = job.progress;
  if (job.cancelling) return <p role="status">{t('export.cancelling')}</p>;
  if (!progress) return <p role="status">{t('export.starting')}</p>;
  const fraction = progressRatio(progress.bytesDone, progress.bytesTotal);
  const speed = bytesPerSecond(job.samples);
  const phase = t(`export.phase.${progress.phase}`);
  return (
    <div className="progress-block" data-testid="export-progress" data-phase={progress.phase} aria-live="polite">
      <div className="progress-head">
        <strong>{phase}</strong>
        <span className="spacer" />
        <span className="mono small" data-testid="export-bytes">
          {t('export.bytes', { done: formatSize(progress.bytesDone, t), total: formatSize(progress.bytesTotal, t) })}
        </span>
      </div>
      <ProgressBar value={fraction} label={phase} />
      <div className="muted small dot-list">
        {speed !== null && speed > 0 ? (
          <span className="mono" data-testid="export-speed">
            {t('export.speed', { speed: formatSize(Math.round(speed), t) })}
          </span>
        ) : null}
        <span data-testid="export-eta">
          {progress.etaSec !== null ? t('export.eta', { time: formatEta(progress.etaSec) }) : t('export.etaUnknown')}
        </span>
      </div>
    </div>
  );
}

function ExportDone({ result, onClose, onAgain }: { result: ExportResult; onClose(): void; onAgain(): void }) {
  const { t } = useI18n();
  return (
    <div className="form">
      <div className="verdict verdict-ok" role="status" data-testid="export-done">
        <Icon name="check" size={22} />
        <div className="export-done-body">
          <strong>{t('export.done')}</strong>
          <p>{t('export.doneBody', { size: formatSize(result.bytes, t) })}</p>
          <div className="export-path">
            <code className="mono break" data-testid="export-path">
              {result.path}
            </code>
            <CopyButton text={result.path} label={t('export.copyPath')} />
          </div>
        </div>
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onAgain}>
          {t('export.again')}
        </button>
        <button type="button" className="btn btn-primary" onClick={onClose} autoFocus data-testid="export-close">
          {t('common.close')}
        </button>
      </div>
    </div>
  );
}
