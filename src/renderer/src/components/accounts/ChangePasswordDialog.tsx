import { useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from '../../../../shared/schemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner, ProblemBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { Icon } from '../common/Icon';

/** Everyone changes their own password; the current one is required, and the account's other sessions end. */
export function ChangePasswordDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [oldPassword, setOldPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(newPassword !== confirm);
    if (newPassword !== confirm) return;
    const ok = await action.run(() => client.call('auth.changePassword', { oldPassword, newPassword }));
    if (!ok) return;
    setDone(true);
    setOldPassword('');
    setNewPassword('');
    setConfirm('');
  };

  return (
    <Dialog title={t('password.title')} onClose={onClose} testId="change-password-dialog">
      <form className="form" onSubmit={(e) => void submit(e)}>
        <TextField
          label={t('password.current')}
          type="password"
          value={oldPassword}
          onValueChange={setOldPassword}
          required
          autoFocus
          autoComplete="current-password"
          testId="password-current"
        />
        <TextField
          label={t('password.new')}
          hint={t('setup.passwordHint')}
          type="password"
          value={newPassword}
          onValueChange={setNewPassword}
          required
          minLength={MIN_PASSWORD_LENGTH}
          autoComplete="new-password"
          testId="password-new"
        />
        <TextField
          label={t('password.confirm')}
          type="password"
          value={confirm}
          onValueChange={setConfirm}
          required
          minLength={MIN_PASSWORD_LENGTH}
          autoComplete="new-password"
          testId="password-confirm"
        />
        {mismatch ? <ProblemBanner>{t('signIn.mismatch')}</ProblemBanner> : null}
        <ErrorBanner error={action.error} />
        {done ? (
          <div className="banner banner-ok" role="status">
            {t('password.changed')}
          </div>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="password-submit">
            {t('password.submit')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The top bar's entry to the dialog above: it keeps its own open state, so the layout needs one line. */
export function ChangePasswordButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => setOpen(true)}
        title={t('password.open')}
        data-testid="change-password"
      >
        <Icon name="key" />
        <span className="top-bar-label">{t('password.open')}</span>
      </button>
      {open ? <ChangePasswordDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}
