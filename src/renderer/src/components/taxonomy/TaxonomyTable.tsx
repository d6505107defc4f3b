import type { ViolationType } from '../../../../shared/reviewSchemas';
import { useI18n } from '../../i18n';
import { Icon } from '../common/Icon';
import { isRowChanged, type DraftRow } from './taxonomyDraft';

/**
 * The catalogue as a table. Read only, it shows a version as saved; editable (admins), every
 * name and legal basis is edited in its cell, a saved code is fixed (it is the type's identity:
 * old tags point at it), and a type is retired rather than deleted.
 */
export function TaxonomyTable({
  rows,
  editable,
  onChange,
  onDiscard,
  testId = 'taxonomy-table',
}: {
  rows: DraftRow[];
  editable: boolean;
  onChange?(key: string, type: ViolationType): void;
  onDiscard?(key: string): void;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <table
      className={editable ? 'record-table taxonomy-table editable' : 'record-table taxonomy-table'}
      data-testid={testId}
    >
      <thead>
        <tr>
          <th className="tax-col-code">{t('taxonomy.col.code')}</th>
          <th className="tax-col-name">{t('taxonomy.col.nameZh')}</th>
          <th className="tax-col-name-en">{t('taxonomy.col.nameEn')}</th>
          <th>{t('taxonomy.col.legalBasis')}</th>
          <th className="tax-col-state">{t('taxonomy.col.state')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) =>
          editable && onChange && onDiscard ? (
            <EditableRow
              key={row.key}
              row={row}
              onChange={(type) => onChange(row.key, type)}
              onDiscard={() => onDiscard(row.key)}
            />
          ) : (
            <ReadOnlyRow key={row.key} type={row.type} />
          ),
        )}
      </tbody>
    </table>
  );
}

function ReadOnlyRow({ type }: { type: ViolationType }) {
  const { t } = useI18n();
  return (
    <tr
      className={type.retired ? 'tax-retired' : undefined}
      data-testid="taxonomy-row"
      data-code={type.code}
      data-retired={type.retired}
    >
      <td className="mono">{type.code}</td>
      <td data-testid="taxonomy-name-zh">{type.nameZh}</td>
      <td data-testid="taxonomy-name-en">{type.nameEn}</td>
      <td className="tax-basis">{type.legalBasis || <span className="muted">{t('common.none')}</span>}</td>
      <td>
        <StateMark retired={type.retired} />
      </td>
    </tr>
  );
}

function EditableRow({
  row,
  onChange,
  onDiscard,
}: {
  row: DraftRow;
  onChange(type: ViolationType): void;
  onDiscard(): void;
}) {
  const { t } = useI18n();
  const { type } = row;
  const isNew = row.original === null;
  const changed = isRowChanged(row);
  const set = <K extends keyof ViolationType>(key: K, value: ViolationType[K]) => onChange({ ...type, [key]: value });
  const classes = [type.retired ? 'tax-retired' : '', isNew ? 'tax-new' : changed ? 'tax-changed' : ''];
  return (
    <tr
      className={classes.join(' ')}
      data-testid="taxonomy-row"
      data-code={row.original?.code ?? ''}
      data-new={isNew}
      data-retired={type.retired}
    >
      <td>
        {isNew ? (
          <input
            className="tax-input mono"
            value={type.code}
            onChange={(e) => set('code', e.target.value)}
            aria-label={t('taxonomy.col.code')}
            maxLength={32}
            autoFocus
            data-testid="taxonomy-code"
          />
        ) : (
          <span className="mono">{type.code}</span>
        )}
        {isNew || changed ? (
          <span className="mark mark-info tax-flag">{t(isNew ? 'taxonomy.new' : 'taxonomy.changed')}</span>
        ) : null}
      </td>
      <td>
        <input
          className="tax-input"
          value={type.nameZh}
          onChange={(e) => set('nameZh', e.target.value)}
          aria-label={t('taxonomy.col.nameZh')}
          maxLength={128}
          lang="zh-CN"
          data-testid="taxonomy-name-zh"
        />
      </td>
      <td>
        <input
          className="tax-input"
          value={type.nameEn}
          onChange={(e) => set('nameEn', e.target.value)}
          aria-label={t('taxonomy.col.nameEn')}
          maxLength={128}
          lang="en"
          data-testid="taxonomy-name-en"
        />
      </td>
      <td>
        <textarea
          className="tax-input tax-basis-input"
          rows={1}
          value={type.legalBasis}
          onChange={(e) => set('legalBasis', e.target.value)}
          aria-label={t('taxonomy.col.legalBasis')}
          maxLength={2000}
          data-testid="taxonomy-basis"
        />
      </td>
      <td>
        <div className="tax-state-cell">
          <StateMark retired={type.retired} />
          {isNew ? (
            <button
              type="button"
              className="btn-icon"
              onClick={onDiscard}
              aria-label={t('taxonomy.discardRow')}
              title={t('taxonomy.discardRow')}
              data-testid="taxonomy-discard-row"
            >
              <Icon name="close" size={14} />
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => set('retired', !type.retired)}
              data-testid={type.retired ? 'taxonomy-unretire' : 'taxonomy-retire'}
            >
              {t(type.retired ? 'taxonomy.unretire' : 'taxonomy.retire')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

function StateMark({ retired }: { retired: boolean }) {
  const { t } = useI18n();
  return (
    <span className={retired ? 'mark mark-warn' : 'mark mark-ok'} data-testid="taxonomy-state">
      {t(retired ? 'taxonomy.retired' : 'taxonomy.active')}
    </span>
  );
}
