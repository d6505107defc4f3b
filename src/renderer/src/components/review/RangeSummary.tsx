import { useI18n } from '../../i18n';
import type { DroppedMark } from './rangeMarks';
import { hasRange, type InOut } from './reviewTypes';
import { formatMediaTime, frameNumberAt, type FrameGrid } from './timecode';

/**
 * The in and out points as the reviewer set them. The out point is exclusive, so it is shown as
 * the last frame that is in the range, and the time where the range ends just after it.
 */
export function RangeSummary({ range, grid, onClear }: { range: InOut; grid: FrameGrid | null; onClear(): void }) {
  const { t } = useI18n();
  const frame = (sec: number) => (grid ? `#${frameNumberAt(sec, grid)}` : '');
  const lastFrame = (outSec: number) => (grid ? `#${frameNumberAt(outSec, grid) - 1}` : '');
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
            {grid
              ? t('review.range.lengthFrames', {
                  seconds: (range.outSec - range.inSec).toFixed(3),
                  frames: frameNumberAt(range.outSec, grid) - frameNumberAt(range.inSec, grid),
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

/** Says which point was cleared and why, with both times, so the reviewer sets it again knowingly. */
export function DroppedMarkNotice({ mark, grid }: { mark: DroppedMark; grid: FrameGrid | null }) {
  const { t } = useI18n();
  const at = (sec: number) => (grid ? `${formatMediaTime(sec)} #${frameNumberAt(sec, grid)}` : formatMediaTime(sec));
  const times = { in: at(mark.inSec), out: at(mark.outSec) };
  return (
    <p className="warn-text small" role="status" data-testid="range-dropped" data-dropped={mark.dropped}>
      {t(mark.dropped === 'in' ? 'review.range.droppedIn' : 'review.range.droppedOut', times)}
    </p>
  );
}
