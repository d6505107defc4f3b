import { useState } from 'react';
import type { ItemDetail } from '../../../../shared/schemas';
import { useLoad } from '../../hooks/useLoad';
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

  if (item.kind === 'photo') return <PhotoPreview key={item.id} item={item} />;
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

type PhotoSource = 'original' | 'play' | 'thumbnail';

/**
 * A photo: the original when Chromium shows it, else its full-size preview (a HEIC's JPEG, made
 * in the background), else its thumbnail. Each picture is asked for once: when one fails to load
 * the next is tried, and when none is left the reason is said in words. (Setting `src` again in
 * `onError` re-requested a missing thumbnail some 40 times a second.)
 */
function PhotoPreview({ item }: { item: ItemDetail }) {
  const { t } = useI18n();
  const client = useClient();
  const candidates: PhotoSource[] = [];
  if (item.media.browserPlayable) candidates.push('original');
  else if (item.proxy === 'ready') candidates.push('play');
  if (item.thumbnail === 'ready') candidates.push('thumbnail');
  const [broken, setBroken] = useState<PhotoSource[]>([]);
  const source = candidates.find((c) => !broken.includes(c));
  const converted = !item.media.browserPlayable;
  const reason = useFailureReason(item, converted && item.proxy === 'failed');

  const note = !converted ? null : item.proxy === 'pending' ? (
    <p className="preview-note" data-testid="preview-photo-state">
      {t('preview.photoPending')}
    </p>
  ) : item.proxy === 'failed' ? (
    <p className="preview-note warn" data-testid="preview-photo-state">
      {t('preview.photoFailed', { reason: reason ?? '…' })}
    </p>
  ) : source === 'play' ? (
    <p className="preview-note" data-testid="preview-photo-state">
      {t('preview.convertedNote')}
    </p>
  ) : null;

  if (!source) {
    return (
      <div className="preview-photo">
        {note}
        <p className="preview-note warn" data-testid="preview-photo-none">
          {t(converted && item.proxy !== 'failed' ? 'preview.notShown' : 'preview.none')}
        </p>
      </div>
    );
  }
  return (
    <div className="preview-photo">
      <img
        key={source}
        className="preview-media"
        src={client.mediaUrl(item.id, source)}
        alt={item.originalName}
        onError={() => setBroken((b) => (b.includes(source) ? b : [...b, source]))}
        data-testid="preview-photo"
        data-source={source}
      />
      {note}
    </div>
  );
}

/** Why this item's preview failed, in the chosen language, from the jobs list; null while unknown. */
function useFailureReason(item: ItemDetail, failed: boolean): string | null {
  const { t } = useI18n();
  const client = useClient();
  const failures = useLoad(failed ? () => client.call('jobs.failures', {}) : null, `failures:${item.id}:${failed}`);
  const failure = failures.data?.failures.find((f) => f.itemId === item.id && f.variant === 'proxy');
  return failure ? t(`deriveProblem.${failure.problem}`, failure.params) : null;
}
