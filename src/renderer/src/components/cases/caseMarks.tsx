import type { CaseState } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { Icon } from '../common/Icon';

/** A case's state as a badge: draft is neutral, sealed blue, approved green, rejected red; a sealed state carries a lock too. */
export function CaseStateBadge({ state }: { state: CaseState }) {
  const { t } = useI18n();
  return (
    <span className={`mark case-state case-state-${state}`} data-testid="case-state" data-state={state}>
      {state === 'draft' ? null : <Icon name="lock" size={11} />}
      {t(`caseState.${state}`)}
    </span>
  );
}
