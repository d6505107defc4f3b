import { createPortal } from 'react-dom';
import type { ImportFileResult, ImportRecord } from '../../../../shared/schemas';
import { ImportOutcome } from '../../../../shared/schemas';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { formatInstant } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { useClient, useStation } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';
import { OutcomeMark, StateMark } from './marks';

const NEEDS_ATTENTION: ReadonlySet<ImportFileResult['status']> = new Set(['skipped', 'failed']);

interface RecordViewProps {
  importId: string;
  onSelectItem(itemId: string): void;
  onImportMore(): void;
}

/**
 * The import record: what an officer prints and files before wiping a camera. Rendered twice: in
 * the dialog, and into a print-only container at the body so printing is not clipped by the dialog.
 */
export function ImportRecordView({ importId, onSelectItem, onImportMore }: RecordViewProps) {
  const { t } = useI18n();
  const client = useClient();
  const record = useLoad(() => client.call('import.get', { importId }), importId);

  if (record.error) return <ErrorBanner error={record.error} />;
  if (!record.data) return <p className="muted">{t('common.loading')}</p>;
  return (
    <>
      <RecordContent record={record.data} onSelectItem={onSelectItem} />
      <div className="form-actions no-print">
        <button type="button" className="btn" onClick={onImportMore} data-testid="import-more">
          {t('record.importMore')}
        </button>
        <button type="button" className="btn btn-primary" onClick={() => window.print()} data-testid="record-print">
          <Icon name="print" />
          {t('record.print')}
        </button>
      </div>
      {createPortal(
        <div className="print-only">
          <RecordContent record={record.data} printed />
        </div>,
        document.body,
      )}
    </>
  );
}

function Verdict({ record }: { record: ImportRecord }) {
  const { t } = useI18n();
  const attention = record.files.filter((file) => NEEDS_ATTENTION.has(file.status));
  if (record.safeToWipe) {
    return (
      <div className="verdict verdict-ok" role="status" data-testid="record-verdict" data-safe="true">
        <Icon name="check" size={22} />
        <strong>{t('record.safe')}</strong>
      </div>
    );
  }
  return (
    <div className="verdict verdict-warn" role="alert" data-testid="record-verdict" data-safe="false">
      <Icon name="warning" size={22} />
      <div>
        <strong>
          {record.state !== 'completed'
            ? t('record.notComplete', { state: t(`state.${record.state}`) })
            : attention.length === 1
              ? t('record.attentionOne')
              : t('record.attention', { count: attention.length })}
        </strong>
        {attention.length ? (
          <ul className="verdict-list">
            {attention.map((file) => (
              <li key={file.path}>
                <span className="mono">{file.relativePath || file.originalName}</span>
                <span className="verdict-reason">
                  {file.reasonCode ? t(`reason.${file.reasonCode}`) : t(`outcome.${file.status}`)}
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}

function RecordContent({
  record,
  printed,
  onSelectItem,
}: {
  record: ImportRecord;
  printed?: boolean;
  onSelectItem?(itemId: string): void;
}) {
  const { t } = useI18n();
  const { session } = useStation();
  const list = (values: string[]) => (values.length ? values.join(', ') : t('common.none'));
  return (
    <article className="import-record" data-testid={printed ? undefined : 'import-record'} data-import-id={record.id}>
      {printed ? (
        <header className="print-header">
          <h1>{t('record.title')}</h1>
          <p>{t('app.name')}</p>
        </header>
      ) : null}
      <Verdict record={record} />
      <dl className="record-meta">
        <div>
          <dt>{t('record.account')}</dt>
          <dd data-testid="record-account">{record.account}</dd>
        </div>
        <div>
          <dt>{t('record.station')}</dt>
          <dd>{record.station}</dd>
        </div>
        <div>
          <dt>{t('record.startedAt')}</dt>
          <dd className="mono">{formatInstant(record.startedAt)}</dd>
        </div>
        <div>
          <dt>{t('record.finishedAt')}</dt>
          <dd className="mono">{formatInstant(record.finishedAt) ?? t('common.none')}</dd>
        </div>
        <div>
          <dt>{t('record.state')}</dt>
          <dd>
            <StateMark state={record.state} />
          </dd>
        </div>
        <div>
          <dt>{t('record.sourceDevice')}</dt>
          <dd>{record.sourceDevice ?? t('common.none')}</dd>
        </div>
        <div>
          <dt>{t('record.deviceIds')}</dt>
          <dd>{list(record.deviceIds)}</dd>
        </div>
        <div>
          <dt>{t('record.officerIds')}</dt>
          <dd>{list(record.officerIds)}</dd>
        </div>
        <div className="wide">
          <dt>{t('record.sources')}</dt>
          <dd className="mono break">{list(record.sources)}</dd>
        </div>
        <div className="wide">
          <dt>{t('record.id')}</dt>
          <dd className="mono">{record.id}</dd>
        </div>
      </dl>
      <div className="record-counts" data-testid="record-counts">
        {ImportOutcome.options.map((outcome) => (
          <span key={outcome} className="count-chip" data-outcome={outcome} data-count={record.counts[outcome] ?? 0}>
            {t('record.countValue', { label: t(`outcome.${outcome}`), count: record.counts[outcome] ?? 0 })}
          </span>
        ))}
      </div>
      <h3>{t('record.files')}</h3>
      {record.files.length === 0 ? (
        <p className="muted">{t('record.noFiles')}</p>
      ) : (
        <table className="record-table" data-testid={printed ? undefined : 'record-files'}>
          <thead>
            <tr>
              <th>{t('col.name')}</th>
              <th>{t('col.relativePath')}</th>
              <th className="num">{t('col.size')}</th>
              <th>{t('col.modifiedAt')}</th>
              <th>{t('col.sha256')}</th>
              <th className="col-outcome">{t('col.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {record.files.map((file) => (
              <FileRow key={file.path} file={file} printed={printed} onSelectItem={onSelectItem} />
            ))}
          </tbody>
        </table>
      )}
      {printed ? (
        <p className="print-footer">
          {t('record.printedBy', { name: session.account.name, at: new Date().toISOString() })}
        </p>
      ) : null}
    </article>
  );
}

function FileRow({
  file,
  printed,
  onSelectItem,
}: {
  file: ImportFileResult;
  printed?: boolean;
  onSelectItem?(itemId: string): void;
}) {
  const { t } = useI18n();
  const linkTo = file.duplicateOf ?? file.itemId;
  return (
    <tr data-testid={printed ? undefined : 'record-file'} data-outcome={file.status}>
      <td className="break">{file.originalName}</td>
      <td className="mono break small">{file.relativePath}</td>
      <td className="num">{formatSize(file.size, t)}</td>
      <td className="mono small nowrap">{formatInstant(file.modifiedAt) ?? t('common.none')}</td>
      <td className="mono hash-cell">{file.sha256 ?? t('common.none')}</td>
      <td>
        <div className="outcome-cell">
          <OutcomeMark status={file.status} />
          {file.status === 'duplicate' ? <span className="small">{t('record.duplicate')}</span> : null}
          {file.reasonCode ? (
            <span className="small reason" title={file.reasonDetail ?? undefined}>
              {t(`reason.${file.reasonCode}`)}
            </span>
          ) : null}
          {linkTo && onSelectItem && !printed ? (
            <button
              type="button"
              className="btn-link small"
              onClick={() => onSelectItem(linkTo)}
              data-testid="record-show-item"
            >
              {t('record.showItem')}
            </button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
