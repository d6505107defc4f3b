import { useState } from 'react';
import type { ItemSummary, MediaKind } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { Icon, type IconName } from '../common/Icon';

export const KIND_ICON: Record<MediaKind, IconName> = { video: 'video', audio: 'audio', photo: 'photo', other: 'file' };

/** The red mark for an item that is stored but could not be decoded: never subtle. */
export function UndecodableMark() {
  const { t } = useI18n();
  return (
    <span className="mark mark-danger" title={t('marks.undecodableHint')} data-testid="mark-undecodable">
      <Icon name="warning" size={12} />
      {t('marks.undecodable')}
    </span>
  );
}

/**
 * How much room the flag gets: full words in the detail pane, a short word in table rows, and on
 * cards only the amber clock (the time itself turns amber too; the tooltip gives the words).
 */
export type MarkSize = 'full' | 'short' | 'icon';

export function OffsetAssumedMark({ size = 'full' }: { size?: MarkSize }) {
  const { t } = useI18n();
  return (
    <span
      className={size === 'icon' ? 'mark mark-warn mark-icon' : 'mark mark-warn'}
      title={t('marks.offsetAssumedHint')}
      aria-label={size === 'icon' ? t('marks.offsetAssumed') : undefined}
      data-testid="mark-offset-assumed"
    >
      <Icon name="clock" size={12} />
      {size === 'icon' ? null : t(size === 'short' ? 'marks.offsetAssumedShort' : 'marks.offsetAssumed')}
    </span>
  );
}

export function GpsMark() {
  const { t } = useI18n();
  return (
    <span className="mark mark-info" data-testid="mark-gps">
      <Icon name="pin" size={12} title={t('marks.gps')} />
    </span>
  );
}

/** Recorded time as written by the camera, with the offset flag when the offset was guessed. */
export function RecordedTime({
  item,
  size = 'full',
}: {
  item: Pick<ItemSummary, 'recordedAt' | 'offsetKnown'>;
  size?: MarkSize;
}) {
  const { t } = useI18n();
  if (!item.recordedAt) return <span className="muted">{t('marks.noRecordedTime')}</span>;
  return (
    <span className={size === 'full' ? 'recorded-time' : 'recorded-time compact'}>
      <span className={item.offsetKnown ? 'mono' : 'mono warn-text'}>{formatInstant(item.recordedAt)}</span>
      {item.offsetKnown ? null : <OffsetAssumedMark size={size} />}
    </span>
  );
}

/** Thumbnail image when ready; a quiet placeholder while it is being made; the kind's icon otherwise. */
export function Thumbnail({ item, mediaUrl }: { item: ItemSummary; mediaUrl: string }) {
  const { t } = useI18n();
  // A thumbnail on record whose file is gone is asked for once, then the placeholder shows.
  // Kept by URL, so a list that reuses this component for another item starts afresh.
  const [brokenUrl, setBrokenUrl] = useState<string | null>(null);
  if (item.thumbnail === 'ready' && brokenUrl !== mediaUrl) {
    return (
      <img
        className="thumb-img"
        src={mediaUrl}
        alt=""
        loading="lazy"
        draggable={false}
        onError={() => setBrokenUrl(mediaUrl)}
      />
    );
  }
  if (item.thumbnail === 'pending') {
    return (
      <div className="thumb-placeholder thumb-pending" title={t('marks.thumbPending')}>
        <span className="spinner" aria-hidden="true" />
      </div>
    );
  }
  return (
    <div className="thumb-placeholder" title={t('marks.thumbNone')}>
      <Icon name={item.status === 'undecodable' ? 'broken' : KIND_ICON[item.kind]} size={28} />
    </div>
  );
}
