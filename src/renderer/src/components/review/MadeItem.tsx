import type { DerivedEvidence } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { shortHash } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { CopyButton } from '../common/CopyButton';
import { FileName } from '../common/FileName';
import { Icon } from '../common/Icon';
import { ReviewIcon } from './ReviewIcon';
import { formatMediaTime, frameNumberAt, type FrameGrid } from './timecode';

/** A clip or still just made: a new evidence item with its own hash and the range it really holds. */
export function MadeItem({
  made,
  grid,
  onOpen,
  onAddToCase,
  testId,
}: {
  made: DerivedEvidence;
  grid: FrameGrid | null;
  onOpen(itemId: string, atSec?: number): void;
  onAddToCase(itemIds: string[]): void;
  testId: string;
}) {
  const { t } = useI18n();
  const client = useClient();
  const { item, derivation } = made;
  const isStill = derivation.kind === 'still';
  const frame = (sec: number) => (grid ? frameNumberAt(sec, grid) : '—');
  return (
    <div className="made-item banner-ok" data-testid={testId} data-item-id={item.id}>
      <div className="made-item-head">
        <Icon name="check" size={14} />
        <strong>{t(isStill ? 'review.made.still' : 'review.made.clip')}</strong>
      </div>
      {isStill ? (
        <img className="made-still" src={client.mediaUrl(item.id, 'original')} alt={item.originalName} />
      ) : null}
      <FileName name={item.originalName} className="made-item-name" />
      <div className="hash-block">
        <code className="mono small" title={item.sha256} data-testid={`${testId}-sha256`} data-sha256={item.sha256}>
          {shortHash(item.sha256)}…
        </code>
        <CopyButton text={item.sha256} label={t('detail.copyHash')} />
      </div>
      <div className="mono small" data-testid={`${testId}-range`}>
        {isStill
          ? t('review.made.stillAt', { time: formatMediaTime(derivation.fromSec), frame: frame(derivation.fromSec) })
          : t('review.made.clipRange', {
              from: formatMediaTime(derivation.fromSec),
              to: formatMediaTime(derivation.toSec),
              frames: derivation.frameCount,
              mode: t(derivation.mode === 'exact' ? 'review.clip.exact' : 'review.clip.lossless'),
            })}
      </div>
      <div className="form-actions">
        <button type="button" className="btn btn-small" onClick={() => onAddToCase([item.id])}>
          <ReviewIcon name="addToCase" size={14} />
          {t('review.addToCase')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => onOpen(item.id)} data-testid={`${testId}-open`}>
          <ReviewIcon name="open" size={14} />
          {t('review.made.open')}
        </button>
      </div>
    </div>
  );
}
