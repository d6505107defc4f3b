import { useState, type FormEvent } from 'react';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { groupFingerprint } from '../../lib/fingerprint';
import { useStation } from '../../station/StationContext';
import { CopyButton } from '../common/CopyButton';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { FormField, TextField } from '../common/FormField';
import { Fingerprint } from './sealMarks';

/**
 * Admin: the office name packages carry, this station's signing key (fingerprint and public key,
 * never the private key) and the imported public keys of the office's other stations.
 */
export function StationKeysDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const { client, session } = useStation();
  const isAdmin = session.account.role === 'admin';
  const stationKey = useLoad(() => client.call('station.key', {}), 'station-key');
  const [revision, setRevision] = useState(0);
  const trusted = useLoad(() => client.call('keys.list', {}), String(revision));
  const key = stationKey.data;

  return (
    <Dialog title={t('keys.title')} onClose={onClose} wide testId="station-keys-dialog">
      <div className="station-keys">
        {isAdmin ? <OfficeNameSection /> : null}
        <section className="keys-section" data-testid="station-key">
          <h3>{t('keys.stationKey')}</h3>
          <ErrorBanner error={stationKey.error} />
          {key ? (
            <dl className="fields">
              <div className="field-row">
                <dt>{t('keys.fingerprint')}</dt>
                <dd>
                  <Fingerprint
                    value={key.fingerprint}
                    copyLabel={t('keys.copyFingerprint')}
                    testId="station-fingerprint"
                  />
                </dd>
              </div>
              <div className="field-row">
                <dt>{t('keys.protection')}</dt>
                <dd data-testid="station-key-protection">{t(`keys.protection.${key.protection}`)}</dd>
              </div>
              <div className="field-row">
                <dt>{t('keys.publicKey')}</dt>
                <dd className="keys-pem">
                  <pre className="mono small" data-testid="station-public-key">
                    {key.publicKeyPem.trim()}
                  </pre>
                  <CopyButton text={key.publicKeyPem} label={t('keys.copyPublicKey')} />
                </dd>
              </div>
            </dl>
          ) : null}
        </section>
        <section className="keys-section" data-testid="trusted-keys">
          <h3>{t('keys.trusted')}</h3>
          <ErrorBanner error={trusted.error} />
          {trusted.data && trusted.data.length === 0 ? <p className="muted small">{t('keys.trustedNone')}</p> : null}
          {trusted.data && trusted.data.length > 0 ? (
            <table className="record-table">
              <thead>
                <tr>
                  <th>{t('keys.col.label')}</th>
                  <th>{t('keys.col.fingerprint')}</th>
                  <th>{t('keys.col.imported')}</th>
                </tr>
              </thead>
              <tbody>
                {trusted.data.map((entry) => (
                  <tr key={entry.fingerprint} data-testid="trusted-key" data-fingerprint={entry.fingerprint}>
                    <td>{entry.label}</td>
                    <td className="mono small">{groupFingerprint(entry.fingerprint)}</td>
                    <td className="small">
                      {entry.importedBy}
                      <span className="mono muted block">{formatInstant(entry.importedAt)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {isAdmin ? (
            <ImportKeyForm onImported={() => setRevision((r) => r + 1)} />
          ) : (
            <p className="muted small">{t('keys.importAdminOnly')}</p>
          )}
        </section>
      </div>
    </Dialog>
  );
}

function ImportKeyForm({ onImported }: { onImported(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const action = useAction();
  const [label, setLabel] = useState('');
  const [pem, setPem] = useState('');
  const [imported, setImported] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setImported(null);
    const entry = await action.run(() => client.call('keys.import', { label: label.trim(), publicKeyPem: pem.trim() }));
    if (!entry) return;
    setImported(entry.label);
    setLabel('');
    setPem('');
    onImported();
  };

  return (
    <form className="form keys-import" onSubmit={(e) => void submit(e)} data-testid="key-import-form">
      <h4>{t('keys.import')}</h4>
      <TextField
        label={t('keys.importLabel')}
        value={label}
        onValueChange={setLabel}
        maxLength={200}
        required
        testId="key-import-label"
      />
      <FormField label={t('keys.importPem')}>
        <textarea
          className="mono small"
          rows={4}
          value={pem}
          onChange={(e) => setPem(e.target.value)}
          placeholder="-----BEGIN PUBLIC KEY-----"
          spellCheck={false}
          maxLength={10_000}
          required
          data-testid="key-import-pem"
        />
      </FormField>
      <ErrorBanner error={action.error} />
      {imported ? (
        <div className="banner banner-ok" role="status" data-testid="key-imported">
          {t('keys.imported', { label: imported })}
        </div>
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || label.trim() === '' || pem.trim() === ''}
          data-testid="key-import-submit"
        >
          {t('keys.importSubmit')}
        </button>
      </div>
    </form>
  );
}

/** The office packages name as `Source-Organization` (`settings.officeName`, admin). */
function OfficeNameSection() {
  const { t } = useI18n();
  const { client } = useStation();
  const settings = useLoad(() => client.call('settings.get', {}), 'settings');
  const stored = settings.data?.officeName;
  return (
    <section className="keys-section" data-testid="office-name">
      <h3>{t('keys.office')}</h3>
      <ErrorBanner error={settings.error} />
      {stored !== undefined ? <OfficeNameForm stored={stored} onSaved={settings.reload} /> : null}
    </section>
  );
}

function OfficeNameForm({ stored, onSaved }: { stored: string; onSaved(): void }) {
  const { t } = useI18n();
  const { client } = useStation();
  const action = useAction();
  const [name, setName] = useState(stored);
  const [saved, setSaved] = useState(false);
  const trimmed = name.trim();

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const next = await action.run(() => client.call('settings.update', { officeName: trimmed }));
    if (next) {
      setSaved(true);
      onSaved();
    }
  };

  return (
    <form className="form" onSubmit={(e) => void save(e)}>
      <div className="form-row office-row">
        <TextField
          label={t('keys.office')}
          hint={t('keys.officeHint')}
          fieldClassName="grow"
          value={name}
          onValueChange={(next) => {
            setName(next);
            setSaved(false);
          }}
          maxLength={200}
          required
          testId="office-name-input"
        />
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || trimmed === '' || trimmed === stored}
          data-testid="office-name-save"
        >
          {t('keys.officeSave')}
        </button>
      </div>
      <ErrorBanner error={action.error} />
      {saved ? (
        <div className="banner banner-ok" role="status" data-testid="office-name-saved">
          {t('keys.officeSaved')}
        </div>
      ) : null}
    </form>
  );
}
