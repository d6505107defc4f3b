import type { CaseDetail } from '../../../../shared/reviewSchemas';
import type { SealResult } from '../../../../shared/sealSchemas';
import { useAction } from '../../hooks/useAction';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { Dialog } from '../common/Dialog';
import { Spinner } from '../common/Spinner';

/**
 * Confirms a seal with what it will do spelled out (re-hash, freeze as version N, signed package,
 * no changes afterwards), then runs `cases.seal`. It cannot be closed while the station works.
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
          action={action}
          onCancel={onClose}
          label={t('seal.submit', { version })}
          testId="seal-submit"
          onConfirm={() => void seal()}
          autoFocus
        />
      </div>
    </Dialog>
  );
}
