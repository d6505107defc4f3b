import { Locale } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';

/**
 * zh-CN / English toggle. `persist` stores the choice for the account (settings.setLocale); before
 * sign-in there is no session, so the choice only applies to this window.
 */
export function LanguageSwitch({ persist }: { persist?: (locale: Locale) => Promise<unknown> }) {
  const { locale, setLocale, t } = useI18n();
  const choose = (next: Locale) => {
    if (next === locale) return;
    setLocale(next);
    void persist?.(next).catch(() => {
      // The language still changed in this window; failing to remember it is not worth an alert.
    });
  };
  return (
    <div className="segmented" role="group" aria-label={t('locale.label')} data-testid="language-switch">
      {Locale.options.map((option) => (
        <button
          key={option}
          type="button"
          className={option === locale ? 'active' : ''}
          aria-pressed={option === locale}
          onClick={() => choose(option)}
          data-testid={`locale-${option}`}
          lang={option}
        >
          {t(`locale.${option}`)}
        </button>
      ))}
    </div>
  );
}
