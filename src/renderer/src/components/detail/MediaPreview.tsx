import type { ItemDetail } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';

/**
 * Plays the original when Chromium can decode it, else the H.264 proxy once it exists. The proxy is
 * for watching only; the UI says so while it is being made.
 */
export function MediaPreview({ item }: { item: ItemDetail }) {
  const { t } = useI18n();
  const client = useClient();
  if (item.status === 'undecodable') return <p className="preview-note warn">{t('detail.undecodablePreview')}</p>;

  if (item.kind === 'photo') {
    return (
      <img
        className="preview-media"
        src={client.mediaUrl(item.id, 'original')}
        alt={item.originalName}
        onError={(e) => {
          // Formats the browser cannot show (HEIC, RAW) fall back to the thumbnail made by ffmpeg.
          const fallback = client.mediaUrl(item.id, 'thumbnail');
          if (e.currentTarget.src !== fallback) e.currentTarget.src = fallback;
        }}
        data-testid="preview-photo"
      />
    );
  }
  if (item.kind !== 'video' && item.kind !== 'audio') return <p className="preview-note">{t('detail.noPreview')}</p>;

  const playable = item.media.browserPlayable === true;
  if (!playable && item.proxy !== 'ready') {
    return (
      <p className={item.proxy === 'failed' ? 'preview-note warn' : 'preview-note'} data-testid="preview-proxy-state">
        {t(item.proxy === 'failed' ? 'detail.proxyFailed' : 'detail.proxyPending')}
      </p>
    );
  }
  const src = client.mediaUrl(item.id, playable ? 'original' : 'play');
  if (item.kind === 'audio') return <audio className="preview-audio" controls preload="metadata" src={src} />;
  return (
    <video
      key={src}
      className="preview-media"
      controls
      preload="metadata"
      src={src}
      poster={item.thumbnail === 'ready' ? client.mediaUrl(item.id, 'thumbnail') : undefined}
      data-testid="preview-video"
    />
  );
}
