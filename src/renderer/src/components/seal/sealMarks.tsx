import type { CaseVersionState, VerifyReport } from '../../../../shared/sealSchemas';
import { useI18n } from '../../i18n';
import { groupFingerprint } from '../../lib/fingerprint';
import { CopyButton } from '../common/CopyButton';
import { Icon } from '../common/Icon';

/** The seal of a sealed version: a lock and words, never colour alone. */
export function SealBadge({ version, testId = 'seal-badge' }: { version: number; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className="mark seal-badge" data-testid={testId} data-version={version}>
      <Icon name="lock" size={12} />
      {t('seal.badge', { version })}
    </span>
  );
}

/**
 * A sealed version's review state in words, with an icon for the ones that need no action. A
 * sealed version reopened before anyone reviewed it is superseded, not waiting.
 */
export function VersionStateMark({ state, reopened }: { state: CaseVersionState; reopened: boolean }) {
  const { t } = useI18n();
  if (state === 'sealed' && reopened)
    return (
      <span className="mark version-state" data-testid="version-state" data-state="superseded">
        {t('versionState.superseded')}
      </span>
    );
  const tone =
    state === 'approved' || state === 'synced' || state === 'queued'
      ? 'mark-ok'
      : state === 'rejected' || state === 'refused'
        ? 'mark-danger'
        : 'mark-info';
  return (
    <span className={`mark ${tone} version-state`} data-testid="version-state" data-state={state}>
      {state === 'approved' || state === 'synced' ? <Icon name="check" size={11} /> : null}
      {t(`versionState.${state}`)}
    </span>
  );
}

/** Pass or fail of one check, as an icon and a word. */
export function PassFail({ ok, testId }: { ok: boolean; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={ok ? 'mark mark-ok pass-fail' : 'mark mark-danger pass-fail'} data-testid={testId} data-ok={ok}>
      <Icon name={ok ? 'check' : 'close'} size={12} />
      {t(ok ? 'verify.pass' : 'verify.fail')}
    </span>
  );
}

/** A key fingerprint in groups of four, selectable, with a copy button for the plain hex. */
export function Fingerprint({ value, copyLabel, testId }: { value: string; copyLabel: string; testId?: string }) {
  return (
    <span className="fingerprint">
      <code className="mono fingerprint-text" data-testid={testId} data-fingerprint={value}>
        {groupFingerprint(value)}
      </code>
      <CopyButton text={value} label={copyLabel} />
    </span>
  );
}

/** Whose key signed a package, in words with an icon; an unknown key is a warning, not a failure. */
export function KeyTrustMark({ trust }: { trust: VerifyReport['keyTrust'] }) {
  const { t } = useI18n();
  const known = trust !== 'unknown';
  return (
    <span className={known ? 'mark mark-ok' : 'mark mark-warn'} data-testid="verify-trust" data-trust={trust}>
      <Icon name={known ? 'shield' : 'warning'} size={12} />
      {t(`verify.trust.${trust}`)}
    </span>
  );
}
