import { useEffect, useRef } from 'react';
import type { ReviewInfo } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Icon } from '../common/Icon';
import type { PlayerController } from './playerController';

/**
 * The picture. The engine decides what `play` streams (the original when Chromium decodes it,
 * else the H.264 proxy); the renderer only knows the item's id. A proxy is for watching: the badge
 * says clips and stills still come from the original.
 */
export function Player({ info, controller }: { info: ReviewInfo; controller: PlayerController }) {
  const { t } = useI18n();
  const client = useClient();
  const videoRef = useRef<HTMLVideoElement>(null);
  const item = info.item;
  const playable = info.playback === 'original' || info.playback === 'proxy';

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !playable) return;
    return controller.attach(video);
  }, [controller, playable]);

  if (item.kind === 'photo') {
    return (
      <div className="review-player">
        <img
          className="review-still"
          src={client.mediaUrl(item.id, 'original')}
          alt={item.originalName}
          data-testid="review-photo"
        />
      </div>
    );
  }
  if (!playable) {
    return (
      <div className="review-player review-player-empty" data-testid="review-playback" data-playback={info.playback}>
        {info.playback === 'pending' ? (
          <div className="spinner-row">
            <span className="spinner" aria-hidden="true" />
            <span>{t('review.proxyPending')}</span>
          </div>
        ) : (
          <p className="warn-text">
            <Icon name="warning" /> {t('review.noPlayback')}
          </p>
        )}
      </div>
    );
  }
  return (
    <div className="review-player" data-testid="review-playback" data-playback={info.playback}>
      {/* Above the picture, never on it: cameras burn their timecode into the picture's corners. */}
      {info.playback === 'proxy' ? (
        <div className="review-player-strip">
          <span className="mark mark-info review-proxy-badge" title={t('review.proxyHint')} data-testid="proxy-badge">
            {t('review.proxyBadge')}
          </span>
        </div>
      ) : null}
      <video
        ref={videoRef}
        className="review-video"
        src={client.mediaUrl(item.id, 'play')}
        preload="auto"
        playsInline
        disablePictureInPicture
        onClick={() => controller.togglePlay()}
        data-testid="review-video"
      />
      {item.kind === 'audio' ? <p className="review-audio-note muted">{t('review.audioOnly')}</p> : null}
    </div>
  );
}
