import { useStationEvent } from '../../hooks/useEvent';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useNavigation } from '../../station/NavigationContext';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { ReviewIcon } from './ReviewIcon';
import { ReviewSession } from './ReviewSession';

/**
 * The review workspace of one recording (`#/review/<itemId>?t=<seconds>`): player, timeline,
 * clips, stills, tags, markers. Opening it is a custody event (`review.open`, debounced by the
 * engine). It reloads when the item's proxy or filmstrip is ready and when tags or markers change.
 */
export function ReviewWorkspace({ itemId, atSec }: { itemId: string; atSec?: number }) {
  const { t } = useI18n();
  const client = useClient();
  const { navigate } = useNavigation();
  const info = useLoad(() => client.call('review.open', { itemId }), itemId);

  useStationEvent('library.changed', ({ itemIds }) => {
    if (itemIds.includes(itemId)) info.reload();
  });
  useStationEvent('review.changed', (changed) => {
    if (changed.itemId === itemId) info.reload();
  });

  if (!info.data) {
    return (
      <div className="review-workspace review-loading" data-testid="review-workspace" data-state="loading">
        <button type="button" className="btn btn-small btn-ghost" onClick={() => navigate({ view: 'library' })}>
          <ReviewIcon name="back" size={14} />
          {t('review.back')}
        </button>
        {info.error ? <ErrorBanner error={info.error} /> : <p className="muted">{t('common.loading')}</p>}
      </div>
    );
  }
  return <ReviewSession key={info.data.item.id} info={info.data} atSec={atSec} reload={info.reload} />;
}
