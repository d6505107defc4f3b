import { useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH, Role } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { FormField, TextField } from '../common/FormField';
import { Select } from '../common/Select';
import { accountNameProblem } from './accountNameProblem';
import { AccountManager } from './AccountManager';
import { AccountStatus } from './AccountStatus';

/** Admin only: who may use this station; adding accounts and managing each (pick a row). */
export function AccountsDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const [revision, setRevision] = useState(0);
  const accounts = useLoad(() => client.call('accounts.list', {}), String(revision));
  const action = useAction();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const [officer, setOfficer] = useState('');
  // A password typed here by the admin is a temporary one unless the admin says otherwise.
  const [mustChange, setMustChange] = useState(true);
  const [created, setCreated] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const selectedAccount = (accounts.data ?? []).find((a) => a.name === selected) ?? null;

  const nameProblem = accountNameProblem(t, name);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (nameProblem) return;
    setCreated(null);
    const account = await action.run(() =>
      client.call('accounts.create', {
        name: name.trim(),
        displayName: displayName.trim() || undefined,
        password,
        role,
        ...(officer.trim() ? { officerNumber: officer.trim() } : {}),
        mustChangePassword: mustChange,
      }),
    );
    if (!account) return;
    setCreated(account.name);
    setName('');
    setDisplayName('');
    setPassword('');
    setOfficer('');
    setRevision((r) => r + 1);
  };

  return (
    <Dialog title={t('accounts.title')} onClose={onClose} wide testId="accounts-dialog">
      <ErrorBanner error={accounts.error} />
      <table className="record-table accounts-table" data-testid="accounts-table">
        <thead>
          <tr>
            <th>{t('accounts.name')}</th>
            <th>{t('accounts.displayName')}</th>
            <th>{t('accounts.officerNumber')}</th>
            <th>{t('accounts.role')}</th>
            <th>{t('accounts.createdAt')}</th>
            <th>{t('accounts.status')}</th>
          </tr>
        </thead>
        <tbody>
          {(accounts.data ?? []).map((account) => (
            <tr
              key={account.name}
              className={account.name === selected ? 'selected' : undefined}
              aria-selected={account.name === selected}
              onClick={() => setSelected(account.name)}
              data-testid={`account-row-${account.name}`}
            >
              <td className="mono">
                <button type="button" className="btn-link" onClick={() => setSelected(account.name)}>
                  {account.name}
                </button>
              </td>
              <td>{account.displayName}</td>
              <td className="mono">{account.officerNumber ?? ''}</td>
              <td>{t(`role.${account.role}`)}</td>
              <td className="mono small">{formatInstant(account.createdAt)}</td>
              <td>
                <AccountStatus account={account} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {selectedAccount ? (
        <AccountManager
          key={`${selectedAccount.name}:${revision}`}
          account={selectedAccount}
          onChanged={() => setRevision((r) => r + 1)}
        />
      ) : (
        <p className="muted">{t('accounts.pickToManage')}</p>
      )}
      <form className="form account-form" onSubmit={(e) => void create(e)}>
        <h3>{t('accounts.createTitle')}</h3>
        <div className="form-row">
          <TextField
            label={t('accounts.name')}
            fieldClassName="grow"
            error={nameProblem}
            testId="new-account-name"
            value={name}
            onValueChange={setName}
            required
            maxLength={64}
            autoComplete="off"
          />
          <TextField
            label={t('accounts.displayName')}
            fieldClassName="grow"
            value={displayName}
            onValueChange={setDisplayName}
            maxLength={128}
          />
        </div>
        <div className="form-row">
          <TextField
            label={t('accounts.password')}
            hint={t('setup.passwordHint')}
            fieldClassName="grow"
            type="password"
            value={password}
            onValueChange={setPassword}
            required
            minLength={MIN_PASSWORD_LENGTH}
            autoComplete="new-password"
          />
          <FormField label={t('accounts.role')}>
            <Select
              value={role}
              options={Role.options}
              labelOf={(option) => t(`role.${option}`)}
              onValueChange={setRole}
            />
          </FormField>
          <TextField
            label={t('accounts.officerNumber')}
            hint={t('accounts.officerHint')}
            value={officer}
            onValueChange={setOfficer}
            maxLength={32}
            testId="new-account-officer"
          />
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={mustChange}
            onChange={(e) => setMustChange(e.target.checked)}
            data-testid="new-account-must-change"
          />
          <span>{t('accounts.mustChangeOnFirst')}</span>
        </label>
        <ErrorBanner error={action.error} />
        {created ? (
          <div className="banner banner-ok" role="status">
            {t('accounts.created', { name: created })}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy}>
            {t('accounts.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
