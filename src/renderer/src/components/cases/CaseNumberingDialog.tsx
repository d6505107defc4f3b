import { useState, type FormEvent } from 'react';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient, useStation } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner, ProblemBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { hasSequence, previewCaseNumber, unknownTokens } from './caseNumberPreview';

/** Admin only: the format new case numbers are made in (`settings.caseNumberFormat`), with a live preview. */
export function CaseNumberingDialog({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const client = useClient();
  const settings = useLoad(() => client.call('settings.get', {}), 'settings');
  return (
    <Dialog title={t('numbering.title')} onClose={onClose} testId="numbering-dialog">
      <ErrorBanner error={settings.error} />
      {settings.data ? (
        <NumberingForm saved={settings.data.caseNumberFormat} onClose={onClose} />
      ) : settings.error ? null : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </Dialog>
  );
}

function NumberingForm({ saved: initial, onClose }: { saved: string; onClose(): void }) {
  const { t } = useI18n();
  const { client, status } = useStation();
  const action = useAction();
  const [stored, setStored] = useState(initial);
  const [format, setFormat] = useState(initial);
  const [saved, setSaved] = useState(false);

  const trimmed = format.trim();
  const unknown = unknownTokens(trimmed);
  const problem = trimmed === '' || !hasSequence(trimmed) ? t('numbering.missingSeq') : null;
  const preview = previewCaseNumber(trimmed, { date: new Date(), stationName: status.stationName, seq: 1 });
  const unchanged = stored === trimmed;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (problem || unknown.length > 0) return;
    setSaved(false);
    const next = await action.run(() => client.call('settings.update', { caseNumberFormat: trimmed }));
    if (next) {
      setStored(next.caseNumberFormat);
      setFormat(next.caseNumberFormat);
      setSaved(true);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void save(e)}>
      <TextField
        label={t('numbering.format')}
        className="mono"
        value={format}
        onValueChange={(next) => {
          setFormat(next);
          setSaved(false);
        }}
        maxLength={64}
        required
        testId="numbering-format"
      />
      <p className="muted small numbering-help">{t('numbering.help')}</p>
      <div className="numbering-preview">
        <span className="muted small">{t('numbering.preview')}</span>
        <code className="mono numbering-sample" data-testid="numbering-preview">
          {trimmed === '' ? t('common.none') : preview}
        </code>
        <span className="muted small">{t('numbering.previewNote')}</span>
      </div>
      {problem ? <ProblemBanner testId="numbering-problem">{problem}</ProblemBanner> : null}
      {unknown.length > 0 ? (
        <ul className="form-problem problem-list" data-testid="numbering-unknown">
          {unknown.map((token, index) => (
            <li key={index}>{t('numbering.unknown', { token })}</li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner error={action.error} />
      {saved ? (
        <div className="banner banner-ok" role="status" data-testid="numbering-saved">
          {t('numbering.saved')}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('common.close')}
        </button>
        <button
          type="submit"
          className="btn btn-primary"
          disabled={action.busy || problem !== null || unknown.length > 0 || unchanged}
          data-testid="numbering-save"
        >
          {t('numbering.save')}
        </button>
      </div>
    </form>
  );
}
