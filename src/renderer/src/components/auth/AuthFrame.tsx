import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { Icon } from '../common/Icon';
import { LanguageSwitch } from '../common/LanguageSwitch';

/** The centred card shared by setup, sign-in and lock screens. */
export function AuthFrame({
  stationName,
  title,
  intro,
  children,
  testId,
}: {
  stationName: string;
  title: string;
  intro: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <div className="auth-screen" data-testid={testId}>
      <div className="auth-card">
        <div className="auth-brand">
          <span className="brand-mark">
            <Icon name="shield" size={22} />
          </span>
          <div>
            <div className="brand-name">{t('app.name')}</div>
            <div className="brand-station">{stationName}</div>
          </div>
          <div className="spacer" />
          <LanguageSwitch />
        </div>
        <h1>{title}</h1>
        <p className="muted">{intro}</p>
        {children}
      </div>
      <p className="auth-footnote">{t('app.tagline')}</p>
    </div>
  );
}
