import { useI18n } from '../../i18n';
import type { PlayerController } from './playerController';
import { ReviewIcon, type ReviewIconName } from './ReviewIcon';
import type { ShortcutAction } from './shortcuts';
import { useStore } from './store';
import { useShortcutText } from './useShortcutText';

/** Buttons for what the keys do, each with its shortcut in the tooltip; both go through `run`. */
export function Transport({
  controller,
  run,
  canStill,
  stillBusy,
}: {
  controller: PlayerController;
  run(action: ShortcutAction): void;
  canStill: boolean;
  stillBusy: boolean;
}) {
  const { t } = useI18n();
  const keys = useShortcutText();
  const { rate } = useStore(controller.state);

  const button = (action: ShortcutAction, icon: ReviewIconName, disabled = false) => (
    <button
      type="button"
      className="btn-icon transport-btn"
      title={keys.title(action)}
      aria-label={keys.label(action)}
      onClick={() => run(action)}
      disabled={disabled}
      data-testid={`do-${action}`}
    >
      <ReviewIcon name={icon} />
    </button>
  );

  return (
    <div className="transport" data-testid="transport">
      <div className="transport-group">
        {button('shuttleReverse', 'reverse')}
        {button('playPause', rate === 0 ? 'play' : 'pause')}
        {button('shuttleForward', 'forward')}
        <span className="transport-rate mono" data-testid="play-rate" data-rate={rate}>
          {rate === 0
            ? t('review.paused')
            : rate > 0
              ? t('review.rateForward', { rate })
              : t('review.rateReverse', { rate: -rate })}
        </span>
      </div>
      <div className="transport-group">
        {button('keyframePrev', 'keyframePrev')}
        {button('frameBack', 'frameBack')}
        {button('frameForward', 'frameForward')}
        {button('keyframeNext', 'keyframeNext')}
        {button('goTo', 'goTo')}
      </div>
      <div className="transport-group">
        {button('markIn', 'markIn')}
        {button('markOut', 'markOut')}
        {button('marker', 'marker')}
        <button
          type="button"
          className="btn btn-small"
          title={keys.title('still')}
          onClick={() => run('still')}
          disabled={!canStill || stillBusy}
          data-testid="do-still"
        >
          <ReviewIcon name="still" size={14} />
          {t('review.still.take')}
        </button>
      </div>
      <span className="spacer" />
      <button
        type="button"
        className="btn btn-small btn-ghost"
        title={keys.title('help')}
        onClick={() => run('help')}
        data-testid="do-help"
      >
        <ReviewIcon name="help" size={14} />
        {t('review.shortcuts')}
      </button>
    </div>
  );
}
