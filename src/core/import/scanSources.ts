import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '../../shared/errors';

export interface SourceFile {
  /** Absolute path as found. */
  path: string;
  /** Path below the chosen folder (the file name for a single file), with `/` separators. */
  relativePath: string;
  originalName: string;
  /** Kind of directory entry: symlinks and special files are listed so the record shows them. */
  entry: 'file' | 'symlink' | 'special';
  size: number;
  modifiedAt: Date | null;
}

/**
 * Expands the chosen paths into the files to import, in a stable order. Folders are walked
 * recursively; symbolic links inside them are listed but never followed, so an import cannot
 * escape the chosen folder or loop. A path the user chose directly is taken as they named it.
 */
export async function scanSources(paths: string[], signal?: AbortSignal): Promise<SourceFile[]> {
  const out: SourceFile[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    if (!isAbsolute(raw)) throw new AppError('import.sourceNotAbsolute', { path: raw });
    const root = resolve(raw);
    let info;
    try {
      info = await stat(root);
    } catch {
      throw new AppError('import.sourceNotFound', { path: raw });
    }
    if (info.isDirectory()) {
      await walk(root, root, out, seen, signal);
    } else if (!seen.has(root)) {
      seen.add(root);
      out.push({
        path: root,
        relativePath: basename(root),
        originalName: basename(root),
        entry: info.isFile() ? 'file' : 'special',
        size: info.size,
        modifiedAt: info.mtime,
      });
    }
  }
  return out;
}

async function walk(
  root: string,
  dir: string,
  out: SourceFile[],
  seen: Set<string>,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      await walk(root, full, out, seen, signal);
      continue;
    }
    if (seen.has(full)) continue;
    seen.add(full);
    const info = await lstat(full).catch(() => null);
    out.push({
      path: full,
      relativePath: relative(root, full).split(sep).join('/'),
      originalName: e.name,
      entry: e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'special',
      size: info?.isFile() ? info.size : 0,
      modifiedAt: info?.mtime ?? null,
    });
  }
}
