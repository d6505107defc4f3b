import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { getImportRecord, listImports } from '../import/importRepo';
import { listCameraVolumes } from '../import/sourceDevice';
import { actorOf, type Handlers, type Services } from './services';

type ImportHandlers = Pick<
  Handlers,
  'import.start' | 'import.cancel' | 'import.get' | 'import.list' | 'import.volumes' | 'fs.listDir'
>;

const MAX_DIR_ENTRIES = 5000;

export function importHandlers(s: Services): ImportHandlers {
  return {
    'import.start': async (input, call) => {
      const importId = await s.imports.start({
        paths: input.paths,
        includeNonMedia: input.includeNonMedia,
        actor: actorOf(call).name,
      });
      return { importId };
    },
    'import.cancel': (input) => {
      s.imports.cancel(input.importId);
      return { ok: true };
    },
    'import.get': (input) => {
      const record = getImportRecord(s.db, input.importId);
      if (!record) throw new AppError('import.notFound', { importId: input.importId });
      return record;
    },
    'import.list': (input) => listImports(s.db, input.limit),
    'import.volumes': () => listCameraVolumes(),
    // Browsing is read-only and lists names only; the import itself re-checks every path it is given.
    'fs.listDir': async (input) => {
      const path = resolve(input.path && isAbsolute(input.path) ? input.path : homedir());
      const info = await stat(path).catch(() => null);
      if (!info?.isDirectory()) throw new AppError('path.notFound', { path });
      const entries = await readdir(path, { withFileTypes: true }).catch(() => {
        throw new AppError('path.notFound', { path });
      });
      const listed = await Promise.all(
        entries
          .filter((e) => !e.name.startsWith('.'))
          .slice(0, MAX_DIR_ENTRIES)
          .map(async (e) => {
            const full = join(path, e.name);
            const isDir = e.isDirectory();
            const size = e.isFile() ? ((await stat(full).catch(() => null))?.size ?? null) : null;
            return { name: e.name, path: full, isDir, size };
          }),
      );
      listed.sort((a, b) => Number(b.isDir) - Number(a.isDir) || a.name.localeCompare(b.name));
      return { path, parent: path === dirname(path) ? null : dirname(path), entries: listed };
    },
  };
}
