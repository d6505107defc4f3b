import { useState, type FormEvent } from 'react';
import { Role } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';

const MIN_PASSWORD = 8;

/** Admin only: who may use this station, and adding reviewers and supervisors. */
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
  const [created, setCreated] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const account = await action.run(() =>
      client.call('accounts.create', {
        name: name.trim(),
        displayName: displayName.trim() || undefined,
        password,
        role,
      }),
    );
    if (!account) return;
    setCreated(account.name);
    setName('');
    setDisplayName('');
    setPassword('');
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
            <th>{t('accounts.role')}</th>
            <th>{t('accounts.createdAt')}</th>
            <th>{t('accounts.status')}</th>
          </tr>
        </thead>
        <tbody>
          {(accounts.data ?? []).map((account) => (
            <tr key={account.name}>
              <td className="mono">{account.name}</td>
              <td>{account.displayName}</td>
              <td>{t(`role.${account.role}`)}</td>
              <td className="mono small">{formatInstant(account.createdAt)}</td>
              <td>
                <span className={account.disabled ? 'mark mark-warn' : 'mark mark-ok'}>
                  {t(account.disabled ? 'accounts.disabled' : 'accounts.active')}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="form account-form" onSubmit={(e) => void create(e)}>
        <h3>{t('accounts.createTitle')}</h3>
        <div className="form-row">
          <label className="field grow">
            <span>{t('accounts.name')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={64} autoComplete="off" />
          </label>
          <label className="field grow">
            <span>{t('accounts.displayName')}</span>
            <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={128} />
          </label>
        </div>
        <div className="form-row">
          <label className="field grow">
            <span>{t('accounts.password')}</span>
            <input
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
              minLength={MIN_PASSWORD}
              autoComplete="new-password"
            />
            <small className="muted">{t('setup.passwordHint')}</small>
          </label>
          <label className="field">
            <span>{t('accounts.role')}</span>
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {Role.options.map((option) => (
                <option key={option} value={option}>
                  {t(`role.${option}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
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
