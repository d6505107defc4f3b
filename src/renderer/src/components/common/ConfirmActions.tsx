import type { ReactNode } from 'react';
import type { Action } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { ErrorBanner } from './ErrorBanner';

/**
 * The foot of a form that asks before it acts: the action's failure, if any, then Cancel and the
 * action. Both wait while the action runs, so it is neither sent twice nor left half-way. The
 * action button submits the surrounding form unless `onConfirm` is given.
 */
export function ConfirmActions({
  action,
  onCancel,
  label,
  testId,
  ready = true,
  danger = false,
  onConfirm,
  autoFocus,
}: {
  action: Pick<Action, 'busy' | 'error'>;
  onCancel(): void;
  label: ReactNode;
  testId: string;
  /** False while the form still lacks something the action needs (a reason, a choice). */
  ready?: boolean;
  /** The action takes something away (red button). */
  danger?: boolean;
  onConfirm?(): void;
  autoFocus?: boolean;
}) {
  const { t } = useI18n();
  return (
    <>
      <ErrorBanner error={action.error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={action.busy}>
          {t('common.cancel')}
        </button>
        <button
          type={onConfirm ? 'button' : 'submit'}
          className={danger ? 'btn btn-danger' : 'btn btn-primary'}
          onClick={onConfirm}
          disabled={action.busy || !ready}
          autoFocus={autoFocus}
          data-testid={testId}
        >
          {label}
        </button>
      </div>
    </>
  );
}
