import type { ItemOrigin } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';

/** Marks an item made at this station (a clip or a still) so it is never taken for an original. */
export function OriginBadge({ origin }: { origin: ItemOrigin }) {
  const { t } = useI18n();
  if (origin === 'import') return null;
  return (
    <span className={`origin-badge origin-${origin}`} data-testid="origin-badge" data-origin={origin}>
      {t(`origin.${origin}`)}
    </span>
  );
}
