import { memo } from 'react';
import type { ItemSummary } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { formatDuration, shortHash } from '../../lib/format';
import { FileName } from '../common/FileName';
import { GpsMark, RecordedTime, Thumbnail, UndecodableMark } from './ItemMarks';

interface ItemCardProps {
  item: ItemSummary;
  thumbnailUrl: string;
  selected: boolean;
  onSelect(id: string): void;
}

export const ItemCard = memo(function ItemCard({ item, thumbnailUrl, selected, onSelect }: ItemCardProps) {
  const { t } = useI18n();
  const duration = formatDuration(item.durationSec);
  const undecodable = item.status === 'undecodable';
  const classes = ['card', selected ? 'selected' : '', undecodable ? 'card-undecodable' : ''].join(' ');
  return (
    <button
      type="button"
      className={classes}
      onClick={() => onSelect(item.id)}
      aria-pressed={selected}
      data-testid="library-card"
      data-item-id={item.id}
      data-thumbnail={item.thumbnail}
      data-status={item.status}
    >
      <div className="card-thumb">
        <Thumbnail item={item} mediaUrl={thumbnailUrl} />
        {duration ? <span className="card-duration mono">{duration}</span> : null}
        {undecodable ? (
          <span className="card-corner">
            <UndecodableMark />
          </span>
        ) : null}
        {item.hasGps ? (
          <span className="card-gps">
            <GpsMark />
          </span>
        ) : null}
      </div>
      <div className="card-body">
        <div className="card-name">
          <FileName name={item.originalName} />
        </div>
        <div className="card-line">
          <RecordedTime item={item} size="icon" />
        </div>
        <div className="card-line muted">
          <span title={t('col.device')}>{item.deviceId ?? t('common.none')}</span>
          <span className="sep">/</span>
          <span title={t('col.officer')}>{item.officerId ?? t('common.none')}</span>
          <span className="spacer" />
          <span className="mono hash" title={item.sha256}>
            {shortHash(item.sha256)}
          </span>
        </div>
      </div>
    </button>
  );
});
