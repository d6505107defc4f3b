import type { CaseState } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';

/** A case's state as a badge: draft is neutral, sealed blue, approved green, rejected red. */
export function CaseStateBadge({ state }: { state: CaseState }) {
  const { t } = useI18n();
  return (
    <span className={`mark case-state case-state-${state}`} data-testid="case-state" data-state={state}>
      {t(`caseState.${state}`)}
    </span>
  );
}
