import { useCallback, useState } from 'react';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { Dialog } from '../common/Dialog';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { ImportProgressView } from './ImportProgressView';
import { ImportRecordView } from './ImportRecordView';
import { RecentImports } from './RecentImports';
import { formatSize } from '../../lib/size';
import { SourcePicker, type DroppedSources } from './SourcePicker';
import { forgetWatchedImport, rememberWatchedImport } from './watchedImport';
import { useSourceSurveys, type SourceSurvey, type SurveyState } from './useSourceSurveys';

export type ImportStep =
  { kind: 'choose' } | { kind: 'running'; importId: string } | { kind: 'record'; importId: string };

interface ImportDialogProps {
  initialStep: ImportStep;
  dropped: DroppedSources | null;
  onClose(): void;
  onSelectItem(itemId: string): void;
}

/** Choose sources → live progress → the import record, in one dialog. */
export function ImportDialog({ initialStep, dropped, onClose, onSelectItem }: ImportDialogProps) {
  const { t } = useI18n();
  const [step, setStep] = useState<ImportStep>(initialStep);
  const running = step.kind === 'running';
  const runningId = running ? step.importId : null;
  const onFinished = useCallback(() => {
    if (!runningId) return;
    // Its end is on screen now: nothing to announce when the station is next opened.
    forgetWatchedImport(runningId);
    setStep({ kind: 'record', importId: runningId });
  }, [runningId]);

  const title = step.kind === 'record' ? t('record.title') : running ? t('progress.title') : t('import.title');
  return (
    <Dialog title={title} onClose={onClose} wide testId="import-dialog" closable={!running}>
      {step.kind === 'choose' ? (
        <ChooseSources
          dropped={dropped}
          onStarted={(importId) => setStep({ kind: 'running', importId })}
          onOpenRecord={(importId) => setStep({ kind: 'record', importId })}
        />
      ) : step.kind === 'running' ? (
        <ImportProgressView importId={step.importId} onFinished={onFinished} />
      ) : (
        <ImportRecordView
          key={step.importId}
          importId={step.importId}
          onSelectItem={onSelectItem}
          onImportMore={() => setStep({ kind: 'choose' })}
        />
      )}
    </Dialog>
  );
}

function ChooseSources({
  dropped,
  onStarted,
  onOpenRecord,
}: {
  dropped: DroppedSources | null;
  onStarted(importId: string): void;
  onOpenRecord(importId: string): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const [sources, setSourcesState] = useState<string[]>(() => dropped?.paths ?? []);
  const [includeNonMedia, setIncludeNonMedia] = useState(false);
  const { surveys, refused, clearRefused } = useSourceSurveys(sources, setSourcesState);

  // A failure belongs to the list it was about: a changed list starts without it.
  const setSources = (next: string[]) => {
    action.clearError();
    clearRefused();
    setSourcesState(next);
  };

  const start = async () => {
    const started = await action.run(() => client.call('import.start', { paths: sources, includeNonMedia }));
    if (!started) return;
    rememberWatchedImport(started.importId);
    onStarted(started.importId);
  };

  const counted = sources.map((path) => surveys[path]).filter((x): x is SourceSurvey => x?.state === 'counted');
  const counting = counted.length < sources.length;
  const total = counted.reduce((sum, x) => ({ files: sum.files + x.files, bytes: sum.bytes + x.bytes }), {
    files: 0,
    bytes: 0,
  });

  return (
    <div className="import-choose">
      <p className="muted">{t('import.intro')}</p>
      <div className="import-columns">
        <div className="import-main">
          <SourcePicker sources={sources} onSourcesChange={setSources} dropped={dropped} />
          <div className="selected-sources">
            <h3>{t('import.selected')}</h3>
            <ErrorBanner error={refused} />
            {sources.length === 0 ? (
              <p className="muted small">{t('import.selectedNone')}</p>
            ) : (
              <ul data-testid="import-selected">
                {sources.map((path) => (
                  <li key={path} data-testid="import-source">
                    <Icon name="folder" size={14} />
                    <span className="mono ellipsis" title={path} data-testid="import-source-path">
                      {path}
                    </span>
                    <SurveyText survey={surveys[path]} />
                    <button
                      type="button"
                      className="btn-icon"
                      onClick={() => setSources(sources.filter((p) => p !== path))}
                      aria-label={t('common.remove')}
                      title={t('common.remove')}
                    >
                      <Icon name="close" size={12} />
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {sources.length > 0 && !counting ? (
              <p className="small" data-testid="import-total" data-files={total.files} data-bytes={total.bytes}>
                {t('import.surveyTotal', { files: total.files, size: formatSize(total.bytes, t) })}
              </p>
            ) : null}
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={includeNonMedia}
              onChange={(e) => setIncludeNonMedia(e.target.checked)}
              data-testid="import-include-non-media"
            />
            <span>
              {t('import.includeNonMedia')}
              <small className="muted block">{t('import.includeNonMediaHint')}</small>
            </span>
          </label>
          <ErrorBanner error={action.error} />
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={sources.length === 0 || counting || action.busy}
              onClick={() => void start()}
              data-testid="import-start"
            >
              <Icon name="import" />
              {t('import.start')}
            </button>
          </div>
        </div>
        <RecentImports onOpen={onOpenRecord} />
      </div>
    </div>
  );
}

/** One path's count beside it in the list: counting, or its files and total size. */
function SurveyText({ survey }: { survey: SurveyState | undefined }) {
  const { t } = useI18n();
  if (!survey || survey.state === 'counting') {
    return (
      <span className="muted small nowrap" data-testid="import-source-survey" data-state="counting">
        {t('import.surveyCounting')}
      </span>
    );
  }
  return (
    <span
      className="muted small nowrap num"
      data-testid="import-source-survey"
      data-state="counted"
      data-files={survey.files}
      title={survey.skipped > 0 ? t('import.surveySkipped', { count: survey.skipped }) : undefined}
    >
      {t('import.surveyFiles', { files: survey.files, size: formatSize(survey.bytes, t) })}
    </span>
  );
}
