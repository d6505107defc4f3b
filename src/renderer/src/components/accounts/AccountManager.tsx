import { useState } from 'react';
import { Role, type Account } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n, type MessageKey } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { FormField, TextField } from '../common/FormField';
import { Select } from '../common/Select';

type Outcome = { key: MessageKey; params?: Record<string, string | number> } | null;

/**
 * An admin's controls for one account: role, officer number, disable/enable, password reset,
 * lockout and sessions. Each is one engine call and one custody entry; the engine refuses what
 * would leave the station without an enabled admin.
 */
export function AccountManager({ account, onChanged }: { account: Account; onChanged(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [role, setRole] = useState<Role>(account.role);
  const [officer, setOfficer] = useState(account.officerNumber ?? '');
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [temporary, setTemporary] = useState<string | null>(null);

  const run = async <T,>(call: () => Promise<T>, done: (result: T) => Outcome) => {
    setOutcome(null);
    setTemporary(null);
    const result = await action.run(call);
    if (result === undefined) return;
    setOutcome(done(result));
    onChanged();
  };

  const resetPassword = async () => {
    setOutcome(null);
    const result = await action.run(() => client.call('accounts.resetPassword', { name: account.name }));
    if (!result) return;
    setTemporary(result.temporaryPassword);
    onChanged();
  };

  const officerValue = officer.trim();
  return (
    <section className="form account-manager" data-testid="account-manager" aria-label={account.name}>
      <h3>{t('accounts.manageTitle', { name: account.name })}</h3>
      <div className="form-row">
        <FormField label={t('accounts.role')}>
          <Select value={role} options={Role.options} labelOf={(o) => t(`role.${o}`)} onValueChange={setRole} />
        </FormField>
        <button
          type="button"
          className="btn"
          disabled={action.busy || role === account.role}
          onClick={() =>
            void run(
              () => client.call('accounts.setRole', { name: account.name, role }),
              () => ({ key: 'accounts.roleChanged' }),
            )
          }
          data-testid="account-set-role"
        >
          {t('accounts.changeRole')}
        </button>
        <TextField
          label={t('accounts.officerNumber')}
          hint={t('accounts.officerHint')}
          value={officer}
          onValueChange={setOfficer}
          maxLength={32}
          testId="account-officer"
        />
        <button
          type="button"
          className="btn"
          disabled={action.busy || officerValue === (account.officerNumber ?? '')}
          onClick={() =>
            void run(
              () =>
                client.call('accounts.setOfficerNumber', {
                  name: account.name,
                  officerNumber: officerValue || null,
                }),
              () => ({ key: 'accounts.officerSaved' }),
            )
          }
          data-testid="account-save-officer"
        >
          {t('accounts.saveOfficer')}
        </button>
      </div>
      <div className="form-actions account-actions">
        <button
          type="button"
          className={account.disabled ? 'btn' : 'btn btn-danger'}
          disabled={action.busy}
          onClick={() =>
            void run(
              () => client.call('accounts.setDisabled', { name: account.name, disabled: !account.disabled }),
              () => ({ key: account.disabled ? 'accounts.enabledDone' : 'accounts.disabledDone' }),
            )
          }
          data-testid={account.disabled ? 'account-enable' : 'account-disable'}
        >
          {t(account.disabled ? 'accounts.enable' : 'accounts.disable')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() => void resetPassword()}
          data-testid="account-reset"
        >
          {t('accounts.resetPassword')}
        </button>
        <button
          type="button"
          className="btn"
          disabled={action.busy}
          onClick={() =>
            void run(
              () => client.call('accounts.endSessions', { name: account.name }),
              ({ ended }) => ({ key: 'accounts.sessionsEnded', params: { count: ended } }),
            )
          }
          data-testid="account-end-sessions"
        >
          {t('accounts.endSessions')}
        </button>
        {account.lockedOut ? (
          <button
            type="button"
            className="btn btn-primary"
            disabled={action.busy}
            onClick={() =>
              void run(
                () => client.call('accounts.liftLockout', { name: account.name }),
                () => ({ key: 'accounts.lockoutLifted' }),
              )
            }
            data-testid="account-lift-lockout"
          >
            {t('accounts.liftLockout')}
          </button>
        ) : null}
      </div>
      <ErrorBanner error={action.error} />
      {outcome ? (
        <div className="banner banner-ok" role="status">
          {t(outcome.key, { name: account.name, ...outcome.params })}
        </div>
      ) : null}
      {temporary !== null ? (
        <div className="banner banner-ok" role="status" data-testid="temporary-password">
          {t('accounts.temporaryPassword', { name: account.name, password: temporary })}
        </div>
      ) : null}
    </section>
  );
}
