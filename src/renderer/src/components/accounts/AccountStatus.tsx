import type { Account } from '../../../../shared/schemas';
import { useI18n } from '../../i18n';

/** An account's state as marks: enabled or disabled, and whether it is locked out or must change its password. */
export function AccountStatus({ account }: { account: Account }) {
  const { t } = useI18n();
  return (
    <span className="account-status">
      <span className={account.disabled ? 'mark mark-warn' : 'mark mark-ok'}>
        {t(account.disabled ? 'accounts.disabled' : 'accounts.active')}
      </span>
      {account.lockedOut ? (
        <span className="mark mark-danger" data-testid="account-locked-out">
          {t('accounts.lockedOut')}
        </span>
      ) : null}
      {account.mustChangePassword ? <span className="mark mark-info">{t('accounts.mustChange')}</span> : null}
    </span>
  );
}
