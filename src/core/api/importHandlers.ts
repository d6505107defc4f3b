import { readdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';
import { getImportRecord, listImports } from '../import/importRepo';
import { listCameraVolumes } from '../import/sourceDevice';
import { SourceGate } from '../import/sourcePolicy';
import { surveySource } from '../import/surveySource';
import { actorOf, type HandlerCall, type Handlers, type Services } from './services';

type ImportHandlers = Pick<
  Handlers,
  'import.start' | 'import.survey' | 'import.cancel' | 'import.get' | 'import.list' | 'import.volumes' | 'fs.listDir'
>;

const MAX_DIR_ENTRIES = 5000;

export function importHandlers(s: Services): ImportHandlers {
  const gateFor = (call: HandlerCall): SourceGate =>
    new SourceGate({
      via: call.via,
      dataDir: s.layout.root,
      roots: [...s.settings().importRoots, ...s.hostImportRoots],
    });
  return {
    'import.start': async (input, call) => {
      const actor = actorOf(call);
      // Any file at all, not only media, is an administrator's call (the entry records it).
      if (input.includeNonMedia && actor.role !== 'admin') {
        throw new AppError('auth.forbidden', { method: 'import.start' });
      }
      const importId = await s.imports.start({
        paths: input.paths,
        includeNonMedia: input.includeNonMedia,
        actor: actor.name,
        gate: gateFor(call),
      });
      return { importId };
    },
    'import.survey': (input, call) => surveySource(input.path, gateFor(call)),
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
    // Browsing lists names only, under the same gate as imports; the import re-checks every path.
    'fs.listDir': async (input, call) => {
      const gate = gateFor(call);
      const asked = resolve(input.path && isAbsolute(input.path) ? input.path : homedir());
      const path = await gate.check(asked);
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
      // The way up is offered only while it stays where this host may look.
      const up = path === dirname(path) ? null : dirname(path);
      const parent = up && (await gate.refusalOf(up)) === null ? up : null;
      return { path, parent, entries: listed };
    },
  };
}
