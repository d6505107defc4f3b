import { useEffect, useState } from 'react';
import type { ClipMode, DerivedEvidence } from '../../../../shared/reviewSchemas';
import type { AppError } from '../../../../shared/errors';
import { useDebounced } from '../../hooks/useDebounced';
import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { toAppError } from '../../i18n/errors';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { Section } from '../detail/Fields';
import { MadeItem } from './MadeItem';
import type { DroppedMark } from './rangeMarks';
import { DroppedMarkNotice, RangeSummary } from './RangeSummary';
import { ReviewIcon } from './ReviewIcon';
import { hasRange, type InOut } from './reviewTypes';
import { formatMediaTime, frameNumberAt, type FrameGrid } from './timecode';
import { useShortcutText } from './useShortcutText';

const PLAN_DEBOUNCE_MS = 250;
const MODES: readonly ClipMode[] = ['lossless', 'exact'];

type Job =
  | { phase: 'idle' }
  | { phase: 'cutting'; jobId: string; fraction: number; cancelling: boolean }
  | { phase: 'cancelled' }
  | { phase: 'done'; result: DerivedEvidence };

/** A fresh id for one cut, so its progress events and a cancel find it (the contract's JobId pattern). */
function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Cutting a clip from the in/out range. Before anything is cut the station reads the recording and
 * says what the clip will really hold (for a lossless clip: from the keyframe at or before the in
 * point), so the reviewer never finds out afterwards.
 */
export function ClipPanel({
  itemId,
  grid,
  range,
  droppedMark,
  onClear,
  onMade,
  onOpen,
  onAddToCase,
  onPlan,
}: {
  itemId: string;
  grid: FrameGrid | null;
  range: InOut;
  /** A point that setting the other one cleared, to say so beside the range. */
  droppedMark: DroppedMark | null;
  onClear(): void;
  onMade(): void;
  onOpen(itemId: string, atSec?: number): void;
  onAddToCase(itemIds: string[]): void;
  /** The planned real range, for the timeline to draw; null while there is none. Must be stable. */
  onPlan(range: { fromSec: number; toSec: number } | null): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const keys = useShortcutText();
  const [mode, setMode] = useState<ClipMode>('lossless');
  const [job, setJob] = useState<Job>({ phase: 'idle' });
  const [error, setError] = useState<AppError | null>(null);

  const request = hasRange(range) ? { itemId, fromSec: range.inSec, toSec: range.outSec, mode } : null;
  const planKey = useDebounced(request ? `${request.fromSec}:${request.toSec}:${mode}` : '', PLAN_DEBOUNCE_MS);
  const planRequest = request && planKey === `${request.fromSec}:${request.toSec}:${mode}` ? request : null;
  const plan = useLoad(planRequest ? () => client.call('clips.plan', planRequest) : null, planKey);

  const planFrom = request && plan.data && !plan.loading ? plan.data.fromSec : null;
  const planTo = request && plan.data && !plan.loading ? plan.data.toSec : null;
  useEffect(() => {
    onPlan(planFrom === null || planTo === null ? null : { fromSec: planFrom, toSec: planTo });
    return () => onPlan(null);
  }, [onPlan, planFrom, planTo]);

  useStationEvent('clips.progress', (progress) => {
    setJob((current) =>
      current.phase === 'cutting' && current.jobId === progress.jobId
        ? { ...current, fraction: progress.fraction }
        : current,
    );
  });

  const cut = async () => {
    if (!request) return;
    const jobId = newJobId();
    setError(null);
    setJob({ phase: 'cutting', jobId, fraction: 0, cancelling: false });
    try {
      const result = await client.call('clips.create', { ...request, jobId });
      setJob({ phase: 'done', result });
      onMade();
    } catch (caught) {
      const appError = toAppError(caught);
      if (appError.code === 'clip.cancelled') setJob({ phase: 'cancelled' });
      else {
        setJob({ phase: 'idle' });
        setError(appError);
      }
    }
  };

  const cancel = async () => {
    if (job.phase !== 'cutting') return;
    setJob({ ...job, cancelling: true });
    try {
      await client.call('clips.cancel', { jobId: job.jobId });
    } catch (caught) {
      // The cut may have just finished; its own answer says how it ended.
      const appError = toAppError(caught);
      if (appError.code !== 'job.notFound') setError(appError);
    }
  };

  const cutting = job.phase === 'cutting';
  const frame = (sec: number) => (grid ? frameNumberAt(sec, grid) : null);

  return (
    <Section title={t('review.clip.title')} testId="clip-panel">
      <RangeSummary range={range} grid={grid} onClear={onClear} />
      {droppedMark ? <DroppedMarkNotice mark={droppedMark} grid={grid} /> : null}
      {!hasRange(range) ? (
        <p className="muted small" data-testid="clip-need-range">
          {t('review.clip.needRange', { in: keys.keys('markIn'), out: keys.keys('markOut') })}
        </p>
      ) : null}

      <div className="clip-modes" role="radiogroup" aria-label={t('review.clip.mode')}>
        {MODES.map((option) => (
          <label key={option} className={option === mode ? 'clip-mode active' : 'clip-mode'}>
            <input
              type="radio"
              name="clip-mode"
              value={option}
              checked={option === mode}
              onChange={() => setMode(option)}
              disabled={cutting}
              data-testid={`clip-mode-${option}`}
            />
            <span className="clip-mode-text">
              <strong>{t(option === 'lossless' ? 'review.clip.lossless' : 'review.clip.exact')}</strong>
              <small className="muted">
                {t(option === 'lossless' ? 'review.clip.losslessHint' : 'review.clip.exactHint')}
              </small>
            </span>
          </label>
        ))}
      </div>

      {request ? (
        <div className="clip-plan" data-testid="clip-plan" data-state={plan.data ? 'ready' : 'loading'}>
          {plan.error ? (
            <>
              <ErrorBanner error={plan.error} />
              {plan.error.code === 'clip.openGop' ? (
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => setMode('exact')}
                  data-testid="clip-use-exact"
                >
                  {t('review.clip.useExact')}
                </button>
              ) : null}
            </>
          ) : plan.data && !plan.loading ? (
            <>
              <div className="clip-plan-range mono" data-testid="clip-plan-range">
                {formatMediaTime(plan.data.fromSec)} – {formatMediaTime(plan.data.toSec)}
              </div>
              <div className="small" data-testid="clip-plan-detail">
                {plan.data.mode === 'lossless'
                  ? t('review.clip.planLossless', {
                      from: formatMediaTime(plan.data.fromSec),
                      frame: frame(plan.data.fromSec) ?? '—',
                      frames: plan.data.frameCount,
                      duration: (plan.data.toSec - plan.data.fromSec).toFixed(3),
                    })
                  : t('review.clip.planExact', {
                      first: frame(plan.data.fromSec) ?? '—',
                      last: grid ? frameNumberAt(plan.data.toSec, grid) - 1 : '—',
                      frames: plan.data.frameCount,
                      duration: (plan.data.toSec - plan.data.fromSec).toFixed(3),
                    })}
              </div>
              {plan.data.mode === 'lossless' && plan.data.fromSec < plan.data.requestedFromSec - 1e-6 ? (
                <div className="small warn-text" data-testid="clip-plan-earlier">
                  {t('review.clip.startsEarlier', {
                    seconds: (plan.data.requestedFromSec - plan.data.fromSec).toFixed(3),
                  })}
                </div>
              ) : null}
              {Math.abs(plan.data.toSec - plan.data.requestedToSec) > 1e-6 ? (
                <div className="small warn-text" data-testid="clip-plan-end-differs">
                  {t('review.clip.endsElsewhere', { to: formatMediaTime(plan.data.toSec) })}
                </div>
              ) : null}
            </>
          ) : (
            <span className="spinner-row small">
              <span className="spinner spinner-small" aria-hidden="true" />
              {t('review.clip.planning')}
            </span>
          )}
        </div>
      ) : null}

      <ErrorBanner error={error} onDismiss={() => setError(null)} />

      {cutting ? (
        <div className="progress-block" data-testid="clip-progress">
          <div className="progress-head small">
            <span>{t(job.cancelling ? 'review.clip.cancelling' : 'review.clip.cutting')}</span>
            <span className="spacer" />
            <span className="mono">{Math.round(job.fraction * 100)}%</span>
          </div>
          <div className="progress" role="progressbar" aria-valuenow={Math.round(job.fraction * 100)}>
            <div className="progress-fill" style={{ width: `${job.fraction * 100}%` }} />
          </div>
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => void cancel()}
              disabled={job.cancelling}
              data-testid="clip-cancel"
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void cut()}
            disabled={!request || !plan.data || plan.loading}
            data-testid="clip-cut"
          >
            <ReviewIcon name="cut" size={14} />
            {t(mode === 'lossless' ? 'review.clip.cutLossless' : 'review.clip.cutExact')}
          </button>
        </div>
      )}

      {job.phase === 'cancelled' ? (
        <p className="muted small" data-testid="clip-cancelled">
          {t('review.clip.cancelled')}
        </p>
      ) : null}
      {job.phase === 'done' ? (
        <MadeItem made={job.result} grid={grid} onOpen={onOpen} onAddToCase={onAddToCase} testId="clip-result" />
      ) : null}
    </Section>
  );
}
