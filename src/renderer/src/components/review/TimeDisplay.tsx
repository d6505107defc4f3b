import type { ItemDetail } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { CopyButton } from '../common/CopyButton';
import { Icon } from '../common/Icon';
import { OffsetAssumedMark } from '../library/ItemMarks';
import type { PlayerController, ShownFrame } from './playerController';
import { useStore } from './store';
import {
  formatMediaTime,
  frameNumberAt,
  frameNumberContaining,
  frameStartSec,
  wallTimeAt,
  type FrameGrid,
} from './timecode';

/** The frame on screen: its number and start time, from the decoder's report when there is one. */
export function shownFrameOf(shown: ShownFrame, grid: FrameGrid | null): { frame: number | null; sec: number } {
  if (grid === null) return { frame: null, sec: shown.mediaTimeSec };
  const frame =
    shown.source === 'frame'
      ? frameNumberAt(shown.mediaTimeSec, grid)
      : frameNumberContaining(shown.mediaTimeSec, grid);
  return { frame, sec: shown.source === 'frame' ? shown.mediaTimeSec : frameStartSec(frame, grid) };
}

/**
 * Media time and frame number of the frame on screen, and its wall-clock time in the recording's
 * own offset. Follows `requestVideoFrameCallback`, so it names the frame actually shown, not
 * where a seek was asked to go. Only this component re-renders while playing.
 */
export function TimeDisplay({ controller, item }: { controller: PlayerController; item: ItemDetail }) {
  const { t } = useI18n();
  const shown = useStore(controller.shown);
  const { frame, sec } = shownFrameOf(shown, controller.grid);
  const media = formatMediaTime(sec);
  const wall = item.recordedAt ? wallTimeAt(item.recordedAt, sec) : null;
  const wallText = wall ? `${wall.text} ${wall.zone}` : null;
  const corrected = item.corrections.length > 0 || item.recordedAtSource === 'correction';

  return (
    <div className="time-display" data-testid="time-display">
      <div className="time-block">
        <span className="time-caption">{t('review.mediaTime')}</span>
        <span className="time-value mono" data-testid="media-time">
          {media}
        </span>
        {frame !== null ? (
          <span className="time-frame mono" title={t('review.frameHint')}>
            {t('review.frameLabel')}{' '}
            <span data-testid="frame-number" data-frame={frame}>
              {frame}
            </span>
          </span>
        ) : null}
        <CopyButton text={media} label={t('review.copyMediaTime')} testId="copy-media-time" />
      </div>
      <div className="time-block">
        <span className="time-caption">{t('review.wallTime')}</span>
        {wallText ? (
          <>
            <span
              className={item.offsetKnown ? 'time-value mono' : 'time-value mono warn-text'}
              data-testid="wall-time"
            >
              {wallText}
            </span>
            {item.offsetKnown ? null : <OffsetAssumedMark size="short" />}
            {corrected ? (
              <span
                className="mark mark-info"
                title={t('review.correctedHint', {
                  original: formatInstant(item.originalRecordedAt) ?? t('common.none'),
                })}
                data-testid="mark-corrected"
              >
                <Icon name="clock" size={12} />
                {t('review.corrected')}
              </span>
            ) : null}
            {item.recordedAtSource === 'derived' ? (
              <span className="mark mark-info" title={t('review.derivedTimeHint')}>
                {t('review.derivedTime')}
              </span>
            ) : null}
            <CopyButton text={wallText} label={t('review.copyWallTime')} testId="copy-wall-time" />
          </>
        ) : (
          <span className="muted" data-testid="wall-time">
            {t('review.noRecordedTime')}
          </span>
        )}
      </div>
    </div>
  );
}
