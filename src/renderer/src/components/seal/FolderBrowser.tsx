import { useFolderListing } from '../../hooks/useFolderListing';
import { useI18n } from '../../i18n';
import { FolderBar, FolderEntryList, PlaceButton } from '../common/FolderList';

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
  const folder = useFolderListing(start);
  const current = folder.listing.data;

  return (
    <div className="folder-browser" data-testid="folder-browser">
      <ul className="folder-places" aria-label={t('browse.places')}>
        <li>
          <PlaceButton folder={folder} path={undefined} icon="home">
            <span>{t('browse.home')}</span>
          </PlaceButton>
        </li>
        {(folder.volumes.data ?? []).map((volume) => (
          <li key={volume.path}>
            <PlaceButton folder={folder} path={volume.path} icon="drive">
              <span className="ellipsis">{volume.label ?? volume.path}</span>
            </PlaceButton>
          </li>
        ))}
      </ul>
      <div className="folder-main">
        <FolderBar folder={folder} upLabel={t('browse.up')} pathTestId="folder-browser-path">
          <button
            type="button"
            className="btn btn-small"
            disabled={!current}
            onClick={() => current && onPick(current.path)}
            data-testid="folder-browser-use"
          >
            {t('browse.useFolder')}
          </button>
        </FolderBar>
        <FolderEntryList
          folder={folder}
          show={(entry) => entry.isDir || (zips && /\.zip$/i.test(entry.name))}
          emptyText={t('browse.empty')}
          className="browser-list folder-list"
          pickFile={{
            label: (entry) => t('browse.pickZip', { name: entry.name }),
            onPick: (entry) => onPick(entry.path),
          }}
        />
      </div>
    </div>
  );
}
