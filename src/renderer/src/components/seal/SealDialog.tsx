import type { CaseDetail } from '../../../../shared/reviewSchemas';
import type { SealResult } from '../../../../shared/sealSchemas';
import { AppError } from '../../../../shared/errors';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { Dialog } from '../common/Dialog';
import { Spinner } from '../common/Spinner';

/**
 * Confirms a seal with what it will do spelled out (re-hash, freeze as version N, signed package,
 * no changes afterwards), then runs `cases.seal`. It cannot be closed while the station works.
 * While the custody log has a problem no admin has reviewed, it says so and offers no Seal.
 */
export function SealDialog({
  detail,
  version,
  onClose,
  onSealed,
}: {
  detail: CaseDetail;
  /** The version this seal will create. */
  version: number;
  onClose(): void;
  onSealed(result: SealResult): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const vars = { version, next: version + 1, count: detail.items.length };
  // The engine refuses a seal while the custody log has a problem no admin has reviewed; say so
  // before the reviewer presses Seal, in the words of that refusal.
  const problems = useLoad(() => client.call('custody.problems', { open: true }), 'seal-custody-problems');
  const openProblems = problems.data?.length ?? 0;
  const blocked = openProblems > 0 ? new AppError('seal.custodyProblem', { count: openProblems }) : null;

  const seal = async () => {
    const result = await action.run(() => client.call('cases.seal', { caseId: detail.id }));
    if (result) onSealed(result);
  };

  return (
    <Dialog
      title={t('seal.title', { number: detail.number, version })}
      onClose={onClose}
      closable={!action.busy}
      testId="seal-dialog"
    >
      <div className="form seal-confirm">
        <p>{t('seal.intro')}</p>
        <ol className="seal-steps">
          <li>{t('seal.stepRehash', vars)}</li>
          <li>{t('seal.stepFreeze', vars)}</li>
          <li>{t('seal.stepPackage', vars)}</li>
          <li>
            <strong>{t('seal.stepFinal', vars)}</strong>
          </li>
        </ol>
        {action.busy ? (
          <div className="seal-busy" role="status" aria-live="polite" data-testid="seal-busy">
            <Spinner label={t('seal.busy')} />
          </div>
        ) : null}
        <ConfirmActions
          action={{ busy: action.busy, error: action.error ?? blocked }}
          onCancel={onClose}
          label={t('seal.submit', { version })}
          testId="seal-submit"
          ready={blocked === null}
          onConfirm={() => void seal()}
          autoFocus
        />
      </div>
    </Dialog>
  );
}
