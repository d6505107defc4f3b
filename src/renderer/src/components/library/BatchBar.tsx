import { useState } from 'react';
import { BATCH_MAX_ITEMS } from '../../../../shared/batchSchemas';
import { useI18n } from '../../i18n';
import { AddToCaseDialog } from '../cases/AddToCaseDialog';
import { BatchTagDialog } from './BatchTagDialog';
import { BatchTimeDialog } from './BatchTimeDialog';
import type { LibrarySelection } from './selection';

type Open = 'none' | 'case' | 'tag' | 'time';

/** What can be done to the selection, above the list: add to a case, tag, correct the recorded time. */
export function BatchBar({
  selection,
  capped,
  onClear,
}: {
  selection: LibrarySelection;
  capped: boolean;
  onClear(): void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Open>('none');
  const count = selection.ids.length;
  const close = () => setOpen('none');
  return (
    <div className="batch-bar" role="toolbar" aria-label={t('batch.hint')} data-testid="batch-bar" data-count={count}>
      <strong data-testid="batch-count">{count === 1 ? t('batch.selectedOne') : t('batch.selected', { count })}</strong>
      {capped ? <span className="muted small">{t('batch.capped', { count: BATCH_MAX_ITEMS })}</span> : null}
      <div className="spacer" />
      <button type="button" className="btn btn-small" onClick={() => setOpen('case')} data-testid="batch-add-to-case">
        {t('batch.addToCase')}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setOpen('tag')} data-testid="batch-tag">
        {t('batch.tag')}
      </button>
      <button type="button" className="btn btn-small" onClick={() => setOpen('time')} data-testid="batch-time">
        {t('batch.correctTime')}
      </button>
      <button type="button" className="btn btn-small" onClick={onClear} data-testid="batch-clear">
        {t('batch.clear')}
      </button>
      {open === 'case' ? <AddToCaseDialog itemIds={[...selection.ids]} onClose={close} /> : null}
      {open === 'tag' ? <BatchTagDialog itemIds={selection.ids} onClose={close} /> : null}
      {open === 'time' ? <BatchTimeDialog itemIds={selection.ids} focusId={selection.focusId} onClose={close} /> : null}
    </div>
  );
}
