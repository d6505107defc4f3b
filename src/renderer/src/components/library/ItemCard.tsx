import { memo } from 'react';
import type { ItemSummary } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';
import { formatDuration, shortHash } from '../../lib/format';
import { FileName } from '../common/FileName';
import { GpsMark, RecordedTime, Thumbnail, UndecodableMark } from './ItemMarks';
import { OriginBadge } from './OriginBadge';
import { clickKeys, type ClickKeys } from './useVisibleRows';

interface ItemCardProps {
  item: ItemSummary;
  index: number;
  thumbnailUrl: string;
  selected: boolean;
  focused: boolean;
  onClick(index: number, id: string, keys: ClickKeys): void;
  onOpen(id: string): void;
}

export const ItemCard = memo(function ItemCard(props: ItemCardProps) {
  const { item, index, thumbnailUrl, selected, focused, onClick, onOpen } = props;
  const { t } = useI18n();
  const duration = formatDuration(item.durationSec);
  const undecodable = item.status === 'undecodable';
  const classes = ['card', selected ? 'selected' : '', focused ? 'focused' : '', undecodable ? 'card-undecodable' : ''];
  return (
    <button
      type="button"
      className={classes.join(' ')}
      tabIndex={focused ? 0 : -1}
      onClick={(e) => onClick(index, item.id, clickKeys(e))}
      onDoubleClick={() => onOpen(item.id)}
      aria-pressed={selected}
      data-testid="library-card"
      data-item-id={item.id}
      data-origin={item.origin}
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
        {item.origin !== 'import' ? (
          <span className="card-origin">
            <OriginBadge origin={item.origin} />
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
