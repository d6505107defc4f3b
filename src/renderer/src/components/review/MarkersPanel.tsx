import { useState, type FormEvent } from 'react';
import type { Marker } from '../../../../shared/reviewSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { Section } from '../detail/Fields';
import { ReviewIcon } from './ReviewIcon';
import { formatMediaTime, frameNumberAt, type FrameGrid } from './timecode';
import { useShortcutText } from './useShortcutText';

/** Markers on the recording: M drops one at the frame on screen; here they get a label, a jump, a removal. */
export function MarkersPanel({
  itemId,
  markers,
  grid,
  currentFrameSec,
  onSeek,
  onChanged,
}: {
  itemId: string;
  markers: readonly Marker[];
  grid: FrameGrid | null;
  /** Media time of the frame on screen, read when the reviewer adds a labelled marker. */
  currentFrameSec(): number;
  onSeek(sec: number): void;
  onChanged(): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const keys = useShortcutText();
  const action = useAction();
  const [label, setLabel] = useState('');
  const sorted = [...markers].sort((a, b) => a.atSec - b.atSec);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const atSec = currentFrameSec();
    if (await action.run(() => client.call('markers.add', { itemId, atSec, label: label.trim() }))) {
      setLabel('');
      onChanged();
    }
  };
  const remove = async (marker: Marker) => {
    if (await action.run(() => client.call('markers.remove', { id: marker.id }))) onChanged();
  };

  return (
    <Section title={t('review.markers.title', { count: markers.length })} testId="markers-panel">
      <ErrorBanner error={action.error} onDismiss={action.clearError} />
      <form className="marker-form" onSubmit={(e) => void add(e)}>
        <input
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          placeholder={t('review.markers.labelPlaceholder')}
          maxLength={200}
          data-testid="marker-label"
        />
        <button
          type="submit"
          className="btn btn-small"
          disabled={action.busy}
          title={keys.title('marker')}
          data-testid="marker-add"
        >
          <ReviewIcon name="marker" size={14} />
          {t('review.markers.add')}
        </button>
      </form>
      {sorted.length === 0 ? <p className="muted small">{t('review.markers.none')}</p> : null}
      <ul className="marker-list" data-testid="marker-list">
        {sorted.map((marker) => (
          <li key={marker.id} className="marker-row" data-testid="marker-row">
            <button
              type="button"
              className="btn-link mono"
              onClick={() => onSeek(marker.atSec)}
              data-testid="marker-seek"
            >
              {formatMediaTime(marker.atSec)}
              {grid ? ` #${frameNumberAt(marker.atSec, grid)}` : ''}
            </button>
            <span className="marker-label ellipsis" title={marker.label}>
              {marker.label || <span className="muted">{t('review.markers.noLabel')}</span>}
            </span>
            <span className="muted small" title={formatInstant(marker.createdAt) ?? ''}>
              {marker.createdBy}
            </span>
            <button
              type="button"
              className="btn-icon"
              onClick={() => void remove(marker)}
              aria-label={t('common.remove')}
              title={t('common.remove')}
              data-testid="marker-remove"
            >
              <Icon name="close" size={14} />
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}
