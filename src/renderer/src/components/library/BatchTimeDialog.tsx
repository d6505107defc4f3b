import { useState, type FormEvent } from 'react';
import type { BatchResult, TimeScope } from '../../../../shared/batchSchemas';
import { useAction } from '../../hooks/useAction';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ConfirmActions } from '../common/ConfirmActions';
import { Dialog } from '../common/Dialog';
import { FormField, TextField } from '../common/FormField';
import { Select } from '../common/Select';
import { BatchOutcomesDialog } from './BatchOutcomes';

type ScopeChoice = 'items' | 'import' | 'device';
type Direction = 'fast' | 'slow';

/** Zones cameras are set to, whole and half hours east and west; '' keeps the zone the file was read with. */
const ZONES = [
  '-12:00',
  '-11:00',
  '-10:00',
  '-09:00',
  '-08:00',
  '-07:00',
  '-06:00',
  '-05:00',
  '-04:00',
  '-03:00',
  '-02:00',
  '-01:00',
  'Z',
  '+01:00',
  '+02:00',
  '+03:00',
  '+03:30',
  '+04:00',
  '+05:00',
  '+05:30',
  '+06:00',
  '+07:00',
  '+08:00',
  '+09:00',
  '+09:30',
  '+10:00',
  '+11:00',
  '+12:00',
  '+13:00',
  '+14:00',
] as const;
type Zone = (typeof ZONES)[number];

const WHOLE = /^\d{1,4}$/;

/**
 * "This camera's clock ran 3 min 12 s fast, and it recorded in +08:00": a clock correction on the
 * selected items, or on every item of the focused item's import or device (batch.correctTime).
 */
export function BatchTimeDialog({
  itemIds,
  focusId,
  onClose,
}: {
  itemIds: readonly string[];
  focusId: string | null;
  onClose(): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const action = useAction();
  const focus = useLoad(focusId ? () => client.call('items.get', { id: focusId }) : null, `item:${focusId ?? ''}`);
  const [scope, setScope] = useState<ScopeChoice>('items');
  const [direction, setDirection] = useState<Direction>('fast');
  const [minutes, setMinutes] = useState('0');
  const [seconds, setSeconds] = useState('0');
  const [zone, setZone] = useState<Zone | ''>('');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<BatchResult | null>(null);

  const importId = focus.data?.importId ?? null;
  const deviceId = focus.data?.deviceId ?? null;
  const valid = WHOLE.test(minutes) && WHOLE.test(seconds) && Number(seconds) < 60;
  const shiftSec = valid ? (direction === 'fast' ? -1 : 1) * (Number(minutes) * 60 + Number(seconds)) : 0;

  const scopes: ScopeChoice[] = [
    'items',
    ...(importId ? (['import'] as const) : []),
    ...(deviceId ? (['device'] as const) : []),
  ];
  const scopeLabel = (choice: ScopeChoice) =>
    choice === 'items'
      ? t('batchTime.scopeItems', { count: itemIds.length })
      : choice === 'import'
        ? t('batchTime.scopeImport')
        : t('batchTime.scopeDevice', { device: deviceId ?? '' });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const target: TimeScope =
      scope === 'import' && importId
        ? { by: 'import', importId }
        : scope === 'device' && deviceId
          ? { by: 'device', deviceId }
          : { by: 'items', itemIds: [...itemIds] };
    const out = await action.run(() =>
      client.call('batch.correctTime', {
        scope: target,
        shiftSec,
        ...(zone === '' ? {} : { zone }),
        reason: reason.trim(),
      }),
    );
    if (out) setResult(out);
  };

  if (result) {
    return (
      <BatchOutcomesDialog
        title={t('batchTime.title')}
        testId="batch-time-dialog"
        result={result}
        wide
        onClose={onClose}
      />
    );
  }
  return (
    <Dialog title={t('batchTime.title')} onClose={onClose} testId="batch-time-dialog" closable={!action.busy}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <FormField label={t('batchTime.scope')}>
          <Select
            value={scope}
            options={scopes}
            labelOf={scopeLabel}
            onValueChange={setScope}
            testId="batch-time-scope"
          />
        </FormField>
        <div className="form-row">
          <FormField label={t('batchTime.clock')}>
            <Select
              value={direction}
              options={['fast', 'slow'] as const}
              labelOf={(d) => t(d === 'fast' ? 'batchTime.fast' : 'batchTime.slow')}
              onValueChange={setDirection}
              testId="batch-time-direction"
            />
          </FormField>
          <TextField
            label={t('batchTime.minutes')}
            value={minutes}
            onValueChange={setMinutes}
            inputMode="numeric"
            testId="batch-time-minutes"
          />
          <TextField
            label={t('batchTime.seconds')}
            value={seconds}
            onValueChange={setSeconds}
            inputMode="numeric"
            testId="batch-time-seconds"
          />
        </div>
        {valid ? null : <p className="field-error">{t('batchTime.invalid')}</p>}
        <FormField label={t('batchTime.zone')}>
          <Select
            value={zone}
            options={ZONES}
            anyLabel={t('batchTime.zoneKeep')}
            onValueChange={setZone}
            testId="batch-time-zone"
          />
        </FormField>
        <TextField
          label={t('batchTime.reason')}
          value={reason}
          onValueChange={setReason}
          placeholder={t('batchTime.reasonPlaceholder')}
          maxLength={1000}
          required
          testId="batch-time-reason"
        />
        <p className="muted small">{t('batchTime.explain')}</p>
        <ConfirmActions
          action={action}
          onCancel={onClose}
          label={t('batchTime.submit')}
          testId="batch-time-submit"
          ready={valid && reason.trim() !== ''}
        />
      </form>
    </Dialog>
  );
}
