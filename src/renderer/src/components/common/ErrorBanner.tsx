import type { ReactNode } from 'react';
import type { AppError } from '../../../../shared/errors';
import { useI18n } from '../../i18n';
import { describeError } from '../../i18n/errors';
import { Icon } from './Icon';

/** A failed action, translated at render time so it follows a language switch. */
export function ErrorBanner({ error, onDismiss }: { error: AppError | null; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner" data-error-code={error.code}>
      <Icon name="warning" />
      <span>{describeError(error, t)}</span>
      {onDismiss ? (
        <button type="button" className="btn-icon" onClick={onDismiss} aria-label={t('common.close')}>
          <Icon name="close" size={14} />
        </button>
      ) : null}
    </div>
  );
}

/** A problem already put in words, such as a form's own check before it asks the station: no code to translate. */
export function ProblemBanner({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="banner banner-error" role="alert" data-testid={testId}>
      {children}
    </div>
  );
}
