import { useEffect, useState, type FormEvent } from 'react';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { isAbsolutePath } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { TextField } from '../common/FormField';
import { Icon } from '../common/Icon';

export interface DroppedSources {
  paths: string[];
  /** Changes with every drop so the same paths dropped twice still arrive. */
  nonce: number;
}

interface SourcePickerProps {
  sources: string[];
  onSourcesChange(sources: string[]): void;
  dropped: DroppedSources | null;
}

function addUnique(list: string[], more: string[]): string[] {
  const next = [...list];
  for (const path of more) if (!next.includes(path)) next.push(path);
  return next;
}

/** Browse the station's folders (server side), tick files or folders, or type a path. */
export function SourcePicker({ sources, onSourcesChange, dropped }: SourcePickerProps) {
  const { t } = useI18n();
  const client = useClient();
  const [browsePath, setBrowsePath] = useState<string | undefined>(undefined);
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState(false);
  const volumes = useLoad(() => client.call('import.volumes', {}), 'volumes');
  const listing = useLoad(() => client.call('fs.listDir', browsePath ? { path: browsePath } : {}), browsePath ?? '~');

  useEffect(() => {
    if (dropped && dropped.paths.length) onSourcesChange(addUnique(sources, dropped.paths));
    // Only a new drop should add paths, not a change of the current selection.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dropped?.nonce]);

  const toggle = (path: string) =>
    onSourcesChange(sources.includes(path) ? sources.filter((p) => p !== path) : [...sources, path]);

  const addTyped = (event: FormEvent) => {
    event.preventDefault();
    const path = typed.trim();
    if (!path) return;
    if (!isAbsolutePath(path)) return setTypedProblem(true);
    setTypedProblem(false);
    onSourcesChange(addUnique(sources, [path]));
    setTyped('');
  };

  const current = listing.data;
  return (
    <div className="source-picker">
      <div className="source-places">
        <h3>{t('import.volumes')}</h3>
        {volumes.data && volumes.data.length === 0 ? <p className="muted small">{t('import.volumesNone')}</p> : null}
        <ul className="place-list" data-testid="import-volumes">
          {(volumes.data ?? []).map((volume) => (
            <li key={volume.path}>
              <button
                type="button"
                className={browsePath === volume.path ? 'place active' : 'place'}
                onClick={() => setBrowsePath(volume.path)}
              >
                <Icon name={volume.hasDcim ? 'camera' : 'drive'} />
                <span className="ellipsis">{volume.label ?? volume.path}</span>
                {volume.hasDcim ? <span className="mark mark-info">{t('import.dcim')}</span> : null}
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className={browsePath === undefined ? 'place active' : 'place'}
              onClick={() => setBrowsePath(undefined)}
            >
              <Icon name="home" />
              <span>{t('import.home')}</span>
            </button>
          </li>
        </ul>
      </div>

      <div className="source-browser">
        <div className="browser-bar">
          <button
            type="button"
            className="btn btn-small"
            disabled={!current?.parent}
            onClick={() => current?.parent && setBrowsePath(current.parent)}
            aria-label={t('import.up')}
            title={t('import.up')}
          >
            <Icon name="up" size={14} />
          </button>
          <span className="mono ellipsis browser-path" title={current?.path} data-testid="browse-path">
            {current?.path ?? '…'}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={!current || sources.includes(current.path)}
            onClick={() => current && onSourcesChange(addUnique(sources, [current.path]))}
            data-testid="browse-add-current"
          >
            {t('import.addCurrent')}
          </button>
        </div>
        <ErrorBanner error={listing.error} />
        <ul className="browser-list" data-testid="browse-list">
          {current && current.entries.length === 0 ? <li className="muted pad">{t('import.emptyFolder')}</li> : null}
          {(current?.entries ?? []).map((entry) => (
            <li key={entry.path} className="browser-entry">
              <input
                type="checkbox"
                checked={sources.includes(entry.path)}
                onChange={() => toggle(entry.path)}
                aria-label={entry.name}
              />
              {entry.isDir ? (
                <button type="button" className="entry-name entry-dir" onClick={() => setBrowsePath(entry.path)}>
                  <Icon name="folder" size={14} />
                  <span className="ellipsis">{entry.name}</span>
                </button>
              ) : (
                <span className="entry-name">
                  <Icon name="file" size={14} />
                  <span className="ellipsis">{entry.name}</span>
                </span>
              )}
              <span className="muted small num">{entry.isDir ? '' : formatSize(entry.size, t)}</span>
            </li>
          ))}
        </ul>
        <form className="path-form" onSubmit={addTyped}>
          <TextField
            label={t('import.pathLabel')}
            fieldClassName="grow"
            value={typed}
            onValueChange={setTyped}
            placeholder={t('import.pathPlaceholder')}
            spellCheck={false}
            className="mono"
            testId="import-path-input"
          />
          <button type="submit" className="btn" disabled={!typed.trim()} data-testid="import-path-add">
            {t('import.addPath')}
          </button>
        </form>
        {typedProblem ? <p className="form-problem">{t('import.pathNotAbsolute')}</p> : null}
      </div>
    </div>
  );
}
