import type { BigIntStats, Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { AppError } from '../../shared/errors';
import type { ImportReasonCode } from '../../shared/schemas';
import { fileKey, type SourceGate } from './sourcePolicy';

/** Why a listed entry is not read at all. */
export type RefusalReason = Extract<ImportReasonCode, 'folderUnreadable' | 'inStation' | 'systemFolder'>;

export interface SourceFile {
  /** Absolute path as found. */
  path: string;
  /** Path below the chosen folder (the file name for a single file), with `/` separators. */
  relativePath: string;
  originalName: string;
  /**
   * Kind of directory entry: symlinks and special files are listed so the record shows them, and
   * so are folders the scan could not or would not enter (`refused`, with `refusal`).
   */
  entry: 'file' | 'symlink' | 'special' | 'refused';
  size: number;
  modifiedAt: Date | null;
  /**
   * Device and inode at the scan, as decimal strings (64-bit): the file opened later must be
   * this one, not something swapped in at the same name.
   */
  dev: string | null;
  ino: string | null;
  refusal?: RefusalReason;
  refusalDetail?: string;
}

/**
 * Expands the chosen paths into the files to import, in a stable order. Folders are walked
 * recursively; symbolic links inside them are listed but never followed, so an import cannot
 * escape the chosen folder or loop. A path the user chose directly is taken as they named it,
 * once the gate has let it through. Below it the station's own data folder, its files (by inode)
 * and system trees are listed as refused, and a folder that cannot be read is listed with why.
 */
export async function scanSources(paths: string[], gate: SourceGate, signal?: AbortSignal): Promise<SourceFile[]> {
  const stationFiles = await gate.stationFileKeys();
  const out: SourceFile[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    const root = await gate.check(raw);
    let info;
    try {
      info = await stat(root, { bigint: true });
    } catch {
      throw new AppError('import.sourceNotFound', { path: raw });
    }
    if (info.isDirectory()) {
      const entries = await readdir(root, { withFileTypes: true }).catch(() => {
        throw new AppError('import.sourceUnreadable', { path: raw });
      });
      await walk({ root, out, seen, gate, stationFiles, signal }, root, entries);
    } else if (!seen.has(root)) {
      seen.add(root);
      const file = fileOf(root, basename(root), info.isFile() ? 'file' : 'special', info);
      out.push(isStationFile(file, stationFiles) ? refused(file, 'inStation') : file);
    }
  }
  return out;
}

interface Walk {
  root: string;
  out: SourceFile[];
  seen: Set<string>;
  gate: SourceGate;
  stationFiles: ReadonlySet<string>;
  signal: AbortSignal | undefined;
}

type Entries = Dirent[];

async function walk(w: Walk, dir: string, entries: Entries): Promise<void> {
  w.signal?.throwIfAborted();
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    const relativePath = relative(w.root, full).split(sep).join('/');
    if (e.isDirectory()) {
      // Reached by walking, never through a link: the path is real already.
      const refusal = await w.gate.refusalOf(full);
      if (refusal === 'inStation' || refusal === 'systemFolder') {
        w.out.push(refused(folderOf(full, relativePath, e.name), refusal));
        continue;
      }
      let children: Entries;
      try {
        children = await readdir(full, { withFileTypes: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'error';
        w.out.push(refused(folderOf(full, relativePath, e.name), 'folderUnreadable', code));
        continue;
      }
      await walk(w, full, children);
      continue;
    }
    if (w.seen.has(full)) continue;
    w.seen.add(full);
    const info = await lstat(full, { bigint: true }).catch(() => null);
    const kind = e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'special';
    const file: SourceFile = info
      ? { ...fileOf(full, e.name, kind, info), relativePath }
      : {
          path: full,
          relativePath,
          originalName: e.name,
          entry: kind,
          size: 0,
          modifiedAt: null,
          dev: null,
          ino: null,
        };
    w.out.push(isStationFile(file, w.stationFiles) ? refused(file, 'inStation') : file);
  }
}

function fileOf(path: string, name: string, entry: SourceFile['entry'], info: BigIntStats): SourceFile {
  return {
    path,
    relativePath: name,
    originalName: name,
    entry,
    size: info.isFile() ? Number(info.size) : 0,
    modifiedAt: info.mtime,
    dev: String(info.dev),
    ino: String(info.ino),
  };
}

function folderOf(path: string, relativePath: string, name: string): SourceFile {
  return { path, relativePath, originalName: name, entry: 'refused', size: 0, modifiedAt: null, dev: null, ino: null };
}

function refused(file: SourceFile, refusal: RefusalReason, detail?: string): SourceFile {
  return { ...file, entry: 'refused', refusal, ...(detail ? { refusalDetail: detail } : {}) };
}

function isStationFile(file: SourceFile, stationFiles: ReadonlySet<string>): boolean {
  return file.dev !== null && file.ino !== null && stationFiles.has(fileKey(file.dev, file.ino));
}
