import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';

/** A labelled value; absent values show a dash so a missing field is visibly missing, not hidden. */
export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  const { t } = useI18n();
  const empty = children === null || children === undefined || children === '';
  return (
    <div className="field-row" data-testid={testId}>
      <dt>{label}</dt>
      <dd className={empty ? 'muted' : undefined}>{empty ? t('common.none') : children}</dd>
    </div>
  );
}

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="detail-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}
