import { useState } from 'react';
import { useLoad } from '../../hooks/useLoad';
import { useI18n } from '../../i18n';
import { useClient } from '../../station/StationContext';
import { ErrorBanner } from '../common/ErrorBanner';
import { Icon } from '../common/Icon';

/**
 * The station's folders (server side, `fs.listDir`), for choosing where an export goes or which
 * package to verify. `zips` also offers the `.zip` files of a folder. Opens at `start` when given.
 */
export function FolderBrowser({
  start,
  zips = false,
  onPick,
}: {
  start?: string;
  zips?: boolean;
  onPick(path: string): void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const [browsePath, setBrowsePath] = useState<string | undefined>(start || undefined);
  const volumes = useLoad(() => client.call('import.volumes', {}), 'volumes');
  const listing = useLoad(() => client.call('fs.listDir', browsePath ? { path: browsePath } : {}), browsePath ?? '~');
  const current = listing.data;
  const entries = (current?.entries ?? []).filter((entry) => entry.isDir || (zips && /\.zip$/i.test(entry.name)));

  return (
    <div className="folder-browser" data-testid="folder-browser">
      <ul className="folder-places" aria-label={t('browse.places')}>
        <li>
          <button
            type="button"
            className={browsePath === undefined ? 'place active' : 'place'}
            onClick={() => setBrowsePath(undefined)}
          >
            <Icon name="home" />
            <span>{t('browse.home')}</span>
          </button>
        </li>
        {(volumes.data ?? []).map((volume) => (
          <li key={volume.path}>
            <button
              type="button"
              className={browsePath === volume.path ? 'place active' : 'place'}
              onClick={() => setBrowsePath(volume.path)}
            >
              <Icon name="drive" />
              <span className="ellipsis">{volume.label ?? volume.path}</span>
            </button>
          </li>
        ))}
      </ul>
      <div className="folder-main">
        <div className="browser-bar">
          <button
            type="button"
            className="btn btn-small"
            disabled={!current?.parent}
            onClick={() => current?.parent && setBrowsePath(current.parent)}
            aria-label={t('browse.up')}
            title={t('browse.up')}
          >
            <Icon name="up" size={14} />
          </button>
          <span className="mono ellipsis browser-path" title={current?.path} data-testid="folder-browser-path">
            {current?.path ?? '…'}
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={!current}
            onClick={() => current && onPick(current.path)}
            data-testid="folder-browser-use"
          >
            {t('browse.useFolder')}
          </button>
        </div>
        <ErrorBanner error={listing.error} />
        <ul className="browser-list folder-list">
          {current && entries.length === 0 ? <li className="muted pad">{t('browse.empty')}</li> : null}
          {entries.map((entry) => (
            <li key={entry.path} className="browser-entry">
              {entry.isDir ? (
                <button type="button" className="entry-name entry-dir" onClick={() => setBrowsePath(entry.path)}>
                  <Icon name="folder" size={14} />
                  <span className="ellipsis">{entry.name}</span>
                </button>
              ) : (
                <button
                  type="button"
                  className="entry-name entry-dir"
                  onClick={() => onPick(entry.path)}
                  aria-label={t('browse.pickZip', { name: entry.name })}
                >
                  <Icon name="file" size={14} />
                  <span className="ellipsis">{entry.name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
