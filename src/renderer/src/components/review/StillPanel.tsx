import type { FrameGrid } from './timecode';
import type { DerivedEvidence } from '../../../../shared/reviewSchemas';
import type { Action } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { ErrorBanner } from '../common/ErrorBanner';
import { Section } from '../detail/Fields';
import { MadeItem } from './MadeItem';
import { ReviewIcon } from './ReviewIcon';
import { useShortcutText } from './useShortcutText';

/** The frame on screen as a lossless PNG at full resolution: a new evidence item (S). */
export function StillPanel({
  action,
  made,
  grid,
  onTake,
  onOpen,
  onAddToCase,
}: {
  action: Action;
  made: DerivedEvidence | null;
  grid: FrameGrid | null;
  onTake(): void;
  onOpen(itemId: string, atSec?: number): void;
  onAddToCase(itemIds: string[]): void;
}) {
  const { t } = useI18n();
  const keys = useShortcutText();
  return (
    <Section title={t('review.still.title')} testId="still-panel">
      <p className="muted small">{t('review.still.hint')}</p>
      <ErrorBanner error={action.error} onDismiss={action.clearError} />
      <div className="panel-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={onTake}
          disabled={action.busy}
          title={keys.title('still')}
          data-testid="still-take"
        >
          <ReviewIcon name="still" size={14} />
          {t('review.still.take')}
        </button>
        {action.busy ? (
          <span className="spinner-row small" data-testid="still-busy">
            <span className="spinner spinner-small" aria-hidden="true" />
            {t('review.still.making')}
          </span>
        ) : null}
      </div>
      {made ? (
        <MadeItem made={made} grid={grid} onOpen={onOpen} onAddToCase={onAddToCase} testId="still-result" />
      ) : null}
    </Section>
  );
}
