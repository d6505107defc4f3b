import type { ReviewInfo } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { formatDuration } from '../../lib/format';
import { FileName } from '../common/FileName';
import { KIND_ICON, RecordedTime, UndecodableMark } from '../library/ItemMarks';
import { Icon } from '../common/Icon';
import { ReviewIcon } from './ReviewIcon';

/** What is open: back to the library, the item's name and key facts, and "add to case". */
export function ReviewHeader({ info, onBack, onAddToCase }: { info: ReviewInfo; onBack(): void; onAddToCase(): void }) {
  const { t } = useI18n();
  const { item } = info;
  const media = item.media;
  return (
    <header className="review-header">
      <button type="button" className="btn btn-small btn-ghost" onClick={onBack} data-testid="review-back">
        <ReviewIcon name="back" size={14} />
        {t('review.back')}
      </button>
      <Icon name={KIND_ICON[item.kind]} size={16} />
      <h2 className="review-title" data-testid="review-title">
        <FileName name={item.originalName} />
      </h2>
      {item.status === 'undecodable' ? <UndecodableMark /> : null}
      {info.derivation ? (
        <span className="mark mark-info" data-testid="review-derived-mark">
          {t(info.derivation.kind === 'still' ? 'review.derivatives.still' : 'review.derivatives.clip')}
        </span>
      ) : null}
      <span className="review-facts muted small dot-list">
        <RecordedTime item={item} size="short" />
        {item.durationSec !== null ? <span className="mono">{formatDuration(item.durationSec)}</span> : null}
        {media.width && media.height ? (
          <span>{t('detail.resolutionValue', { width: media.width, height: media.height })}</span>
        ) : null}
        {info.frameRate ? <span>{t('detail.frameRateValue', { fps: Number(info.frameRate.toFixed(3)) })}</span> : null}
        {item.deviceId ? <span>{item.deviceId}</span> : null}
        {item.officerId ? <span>{item.officerId}</span> : null}
      </span>
      <span className="spacer" />
      <button type="button" className="btn btn-small" onClick={onAddToCase} data-testid="review-add-to-case">
        <ReviewIcon name="addToCase" size={14} />
        {t('review.addToCase')}
      </button>
    </header>
  );
}
