import { useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { useClient } from '../station/StationContext';
import { useLoad, type Loaded } from './useLoad';

export type FolderContents = MethodOutput<'fs.listDir'>;
export type FolderEntry = FolderContents['entries'][number];

export interface FolderListing {
  /** The folder asked for; `undefined` is the home folder. */
  browsePath: string | undefined;
  open(path: string | undefined): void;
  volumes: Loaded<MethodOutput<'import.volumes'>>;
  listing: Loaded<FolderContents>;
}

/**
 * Walks the station's folders (server side, `fs.listDir`) and lists its volumes, for the pickers
 * that choose a path on the station rather than on the reviewer's own machine.
 */
export function useFolderListing(start?: string): FolderListing {
  const client = useClient();
  const [browsePath, setBrowsePath] = useState<string | undefined>(start || undefined);
  const volumes = useLoad(() => client.call('import.volumes', {}), 'volumes');
  const listing = useLoad(() => client.call('fs.listDir', browsePath ? { path: browsePath } : {}), browsePath ?? '~');
  return { browsePath, open: setBrowsePath, volumes, listing };
}
