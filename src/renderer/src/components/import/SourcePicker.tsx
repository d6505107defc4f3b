import { useEffect, useState, type FormEvent } from 'react';
import { useFolderListing } from '../../hooks/useFolderListing';
import { useI18n } from '../../i18n';
import { isAbsolutePath } from '../../lib/format';
import { formatSize } from '../../lib/size';
import { FolderBar, FolderEntryList, PlaceButton } from '../common/FolderList';
import { TextField } from '../common/FormField';

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
  const folder = useFolderListing();
  const { volumes } = folder;
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState(false);

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

  const current = folder.listing.data;
  return (
    <div className="source-picker">
      <div className="source-places">
        <h3>{t('import.volumes')}</h3>
        {volumes.data && volumes.data.length === 0 ? <p className="muted small">{t('import.volumesNone')}</p> : null}
        <ul className="place-list" data-testid="import-volumes">
          {(volumes.data ?? []).map((volume) => (
            <li key={volume.path}>
              <PlaceButton folder={folder} path={volume.path} icon={volume.hasDcim ? 'camera' : 'drive'}>
                <span className="ellipsis">{volume.label ?? volume.path}</span>
                {volume.hasDcim ? <span className="mark mark-info">{t('import.dcim')}</span> : null}
              </PlaceButton>
            </li>
          ))}
          <li>
            <PlaceButton folder={folder} path={undefined} icon="home">
              <span>{t('import.home')}</span>
            </PlaceButton>
          </li>
        </ul>
      </div>

      <div className="source-browser">
        <FolderBar folder={folder} upLabel={t('import.up')} pathTestId="browse-path">
          <button
            type="button"
            className="btn btn-small"
            disabled={!current || sources.includes(current.path)}
            onClick={() => current && onSourcesChange(addUnique(sources, [current.path]))}
            data-testid="browse-add-current"
          >
            {t('import.addCurrent')}
          </button>
        </FolderBar>
        <FolderEntryList
          folder={folder}
          emptyText={t('import.emptyFolder')}
          className="browser-list"
          testId="browse-list"
          before={(entry) => (
            <input
              type="checkbox"
              checked={sources.includes(entry.path)}
              onChange={() => toggle(entry.path)}
              aria-label={entry.name}
            />
          )}
          after={(entry) => <span className="muted small num">{entry.isDir ? '' : formatSize(entry.size, t)}</span>}
        />
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
