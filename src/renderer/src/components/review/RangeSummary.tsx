import { useI18n } from '../../i18n';
import { hasRange, type InOut } from './reviewTypes';
import { formatMediaTime, frameNumberAt } from './timecode';

/**
 * The in and out points as the reviewer set them. The out point is exclusive, so it is shown as
 * the last frame that is in the range, and the time where the range ends just after it.
 */
export function RangeSummary({ range, fps, onClear }: { range: InOut; fps: number | null; onClear(): void }) {
  const { t } = useI18n();
  const frame = (sec: number) => (fps ? `#${frameNumberAt(sec, fps)}` : '');
  const lastFrame = (outSec: number) => (fps ? `#${frameNumberAt(outSec, fps) - 1}` : '');
  return (
    <dl className="fields range-summary" data-testid="range-summary">
      <div className="field-row">
        <dt>{t('review.range.in')}</dt>
        <dd className="mono" data-testid="range-in-value">
          {range.inSec === null ? (
            <span className="muted">{t('review.range.notSet')}</span>
          ) : (
            `${formatMediaTime(range.inSec)} ${frame(range.inSec)}`
          )}
        </dd>
      </div>
      <div className="field-row">
        <dt>{t('review.range.out')}</dt>
        <dd className="mono" data-testid="range-out-value">
          {range.outSec === null ? (
            <span className="muted">{t('review.range.notSet')}</span>
          ) : (
            <>
              <span title={t('review.range.lastFrameHint')}>
                {t('review.range.lastFrame', { frame: lastFrame(range.outSec) })}
              </span>
              <span className="muted small block">
                {t('review.range.endsAt', { time: formatMediaTime(range.outSec) })}
              </span>
            </>
          )}
        </dd>
      </div>
      {hasRange(range) ? (
        <div className="field-row">
          <dt>{t('review.range.length')}</dt>
          <dd className="mono" data-testid="range-length">
            {fps
              ? t('review.range.lengthFrames', {
                  seconds: (range.outSec - range.inSec).toFixed(3),
                  frames: frameNumberAt(range.outSec, fps) - frameNumberAt(range.inSec, fps),
                })
              : t('review.range.lengthSeconds', { seconds: (range.outSec - range.inSec).toFixed(3) })}
            <button type="button" className="btn-link range-clear" onClick={onClear} data-testid="range-clear">
              {t('review.range.clear')}
            </button>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
