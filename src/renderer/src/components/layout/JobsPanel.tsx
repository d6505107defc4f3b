import { useState } from 'react';
import type { DerivedFailure, JobCounts } from '../../../../shared/jobSchemas';
import { useAction } from '../../hooks/useAction';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useStation } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { FileName } from '../common/FileName';

/**
 * The background-jobs panel: what runs now, and every thumbnail, filmstrip or viewing copy that
 * failed, with why in plain words (the tool's own words below) and a retry, one or all.
 */
export function JobsPanel({ counts, onClose }: { counts: JobCounts | undefined; onClose(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const [revision, setRevision] = useState(0);
  const failures = useLoad(() => client.call('jobs.failures', {}), `failures:${revision}`);
  // A job that fails or succeeds while the panel is open changes the list.
  useStationEvent('jobs.changed', () => setRevision((r) => r + 1));
  const action = useAction();
  const [retried, setRetried] = useState<number | null>(null);
  const retry = (which: { itemId?: string; variant?: DerivedFailure['variant'] }) =>
    void action.run(async () => {
      const { requeued } = await client.call('jobs.retry', which);
      setRetried(requeued);
      setRevision((r) => r + 1);
    });
  const list = failures.data?.failures ?? [];
  const active = counts !== undefined && counts.running + counts.pending > 0;

  return (
    <Dialog title={t('jobs.title')} onClose={onClose} wide testId="jobs-panel">
      <p className="jobs-now" data-testid="jobs-now">
        {active ? (
          <>
            <span className="spinner spinner-small" aria-hidden="true" />
            {t('jobs.running', { running: counts.running, pending: counts.pending })}
          </>
        ) : (
          t('jobs.idle')
        )}
      </p>
      <ErrorBanner error={failures.error ?? action.error} />
      <div className="jobs-failed-head">
        <h3>{t('jobs.failedTitle', { count: list.length })}</h3>
        {list.length > 1 ? (
          <button
            type="button"
            className="btn"
            disabled={action.busy}
            onClick={() => retry({})}
            data-testid="jobs-retry-all"
          >
            {t('jobs.retryAll')}
          </button>
        ) : null}
      </div>
      {retried !== null ? (
        <p className="muted" role="status" data-testid="jobs-retried">
          {t('jobs.retried', { count: retried })}
        </p>
      ) : null}
      {list.length === 0 ? (
        <p className="muted" data-testid="jobs-no-failures">
          {t('jobs.noFailures')}
        </p>
      ) : (
        <ul className="jobs-failures" data-testid="jobs-failures">
          {list.map((f) => (
            <li key={`${f.itemId}:${f.variant}`} className="jobs-failure" data-testid="jobs-failure">
              <div className="jobs-failure-head">
                <FileName name={f.originalName} />
                <span className="jobs-variant">{t(variantKey(f))}</span>
                <span className="muted mono">{formatInstant(f.failedAt)}</span>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={action.busy}
                  onClick={() => retry({ itemId: f.itemId, variant: f.variant })}
                  data-testid="jobs-retry"
                >
                  {t('jobs.retry')}
                </button>
              </div>
              <p className="warn-text" data-testid="jobs-failure-reason">
                {t(`deriveProblem.${f.problem}`, f.params)}
              </p>
              {f.detail ? (
                <p className="muted small jobs-failure-detail">{t('jobs.detail', { detail: f.detail })}</p>
              ) : null}
              <p className="muted small">{t('jobs.attempts', { count: f.attempts })}</p>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}

/** A photo's viewing copy is its full-size preview; a recording's is a playback copy. */
function variantKey(f: DerivedFailure) {
  if (f.variant === 'proxy' && f.kind === 'photo') return 'jobs.variant.preview' as const;
  return `jobs.variant.${f.variant}` as const;
}
