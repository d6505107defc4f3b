import { lstat, readdir, realpath } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { AppError } from '../../shared/errors';
import type { CallContext } from '../engineApi';

/**
 * Which paths a source may come from. A UI host (the web host, the desktop app) is driven by
 * whoever signs in to the station, who is not necessarily the OS user: it may read removable
 * volumes, the OS user's home and folders an administrator allowed. The CLI runs as the OS user,
 * who can read those files anyway, so it may read any path. Neither may read the station's own
 * data folder (its database holds password hashes) nor system trees, where a read can block
 * (`/proc`, `/dev`) or hand out secrets (`/etc`).
 */
export interface SourcePolicy {
  /** The host that relayed the call; `cli` and `test` are trusted with any readable path. */
  via: CallContext['via'];
  /** The station's data directory. */
  dataDir: string;
  /** Folders the UI hosts may read besides removable volumes and home (settings and host options). */
  roots: readonly string[];
  /** Defaults to the running platform; a parameter so each platform's rules can be tested here. */
  platform?: NodeJS.Platform;
}

/** Why a path is refused, or null when it may be read. */
export type Refusal = 'inStation' | 'systemFolder' | 'notAllowed';

const LINUX_SYSTEM = ['/proc', '/sys', '/dev', '/etc', '/boot', '/run'];
/** Mount points of removable media under a system tree, which are not system themselves. */
const LINUX_SYSTEM_EXCEPT = ['/run/media'];
const DARWIN_SYSTEM = ['/System', '/Library', '/private/etc', '/private/var/db', '/dev', '/etc', '/cores'];
const POSIX_REMOVABLE = ['/media', '/run/media', '/mnt'];
const DARWIN_REMOVABLE = ['/Volumes'];

/** Is `path` the folder `root` or below it? Both absolute and normalised; case-folded where the file system folds. */
export function isWithin(path: string, root: string, platform: NodeJS.Platform = process.platform): boolean {
  const fold = platform === 'win32' || platform === 'darwin';
  const p = fold ? path.toLowerCase() : path;
  const r = fold ? root.toLowerCase() : root;
  const separator = platform === 'win32' ? '\\' : '/';
  if (p === r) return true;
  return p.startsWith(r.endsWith(separator) ? r : `${r}${separator}`);
}

function windowsSystemTrees(): string[] {
  const drive = (process.env['SystemDrive'] ?? 'C:').toUpperCase();
  const windows = process.env['SystemRoot'] ?? `${drive}\\Windows`;
  return [
    windows,
    `${drive}\\Program Files`,
    `${drive}\\Program Files (x86)`,
    `${drive}\\ProgramData`,
    `${drive}\\System Volume Information`,
    `${drive}\\$Recycle.Bin`,
  ];
}

/** A system tree `path` lies in, or null. */
export function systemTreeOf(path: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform === 'win32') {
    // `C:\Program Files*` includes `Program Files (x86)` and any sibling an installer made.
    const drive = (process.env['SystemDrive'] ?? 'C:').toUpperCase();
    if (path.toUpperCase().startsWith(`${drive}\\PROGRAM FILES`)) return `${drive}\\Program Files`;
    return windowsSystemTrees().find((t) => isWithin(path, t, platform)) ?? null;
  }
  const trees = platform === 'darwin' ? DARWIN_SYSTEM : LINUX_SYSTEM;
  if (LINUX_SYSTEM_EXCEPT.some((e) => isWithin(path, e, platform))) return null;
  return trees.find((t) => isWithin(path, t, platform)) ?? null;
}

function isRemovableVolume(path: string, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') {
    const drive = (process.env['SystemDrive'] ?? 'C:').toUpperCase();
    const m = /^([A-Za-z]:)\\/.exec(path);
    return m !== null && m[1]!.toUpperCase() !== drive;
  }
  const removable = platform === 'darwin' ? DARWIN_REMOVABLE : POSIX_REMOVABLE;
  // The folder of mounts itself lists every volume, which is what browsing it is for.
  return removable.some((r) => isWithin(path, r, platform));
}

/** The real path (links resolved) of `path`, or of its nearest existing ancestor joined with the rest. */
async function realOrResolved(path: string): Promise<string> {
  const absolute = resolve(path);
  const real = await realpath(absolute).catch(() => null);
  if (real) return real;
  const parent = dirname(absolute);
  if (parent === absolute) return absolute;
  return `${await realOrResolved(parent)}${sep}${absolute.slice(parent.length).replace(/^[\\/]+/, '')}`;
}

/**
 * Compares paths by what they are on disk: a link or a `..` into the data folder or /etc is
 * refused like the folder itself. Call once per chosen path; the scan checks the folders below.
 */
export class SourceGate {
  private dataReal: Promise<string> | null = null;
  private readonly platform: NodeJS.Platform;

  constructor(private readonly policy: SourcePolicy) {
    this.platform = policy.platform ?? process.platform;
  }

  /** The real path of `path` if the policy allows it; throws `import.pathInStation` or `import.pathNotAllowed`. */
  async check(path: string): Promise<string> {
    if (!isAbsolute(path)) throw new AppError('import.sourceNotAbsolute', { path });
    const real = await realOrResolved(path);
    const refusal = await this.refusalOf(real, resolve(path));
    if (refusal === 'inStation') throw new AppError('import.pathInStation', { path });
    if (refusal) throw new AppError('import.pathNotAllowed', { path });
    return real;
  }

  /** Why the folder or file at `real` (already resolved) may not be read, or null. */
  async refusalOf(real: string, asNamed: string = real): Promise<Refusal | null> {
    const data = await this.dataDirReal();
    // Either name counts: the real path catches links into the station, the named one a data
    // folder reached through a link (its real path is then elsewhere, but so is the database).
    if (isWithin(real, data, this.platform) || isWithin(asNamed, resolve(this.policy.dataDir), this.platform)) {
      return 'inStation';
    }
    if (systemTreeOf(real, this.platform) || systemTreeOf(asNamed, this.platform)) return 'systemFolder';
    if (this.policy.via === 'cli' || this.policy.via === 'test') return null;
    if (isRemovableVolume(real, this.platform)) return null;
    const roots = [homedir(), ...this.policy.roots];
    for (const root of roots) {
      const rootReal = await realpath(root).catch(() => resolve(root));
      if (isWithin(real, rootReal, this.platform)) return null;
    }
    return 'notAllowed';
  }

  /** Is the data folder somewhere below `real`? Then a scan of `real` must step around it. */
  async containsStation(real: string): Promise<boolean> {
    return isWithin(await this.dataDirReal(), real, this.platform);
  }

  /**
   * `dev:ino` of the files at the top of the data folder (the database and its journal, the chain
   * head): a hard link to one of them elsewhere is the same file and is refused like it.
   */
  async stationFileKeys(): Promise<Set<string>> {
    const data = await this.dataDirReal();
    const names = await readdir(data).catch(() => [] as string[]);
    const keys = new Set<string>();
    for (const name of names) {
      const info = await lstat(join(data, name), { bigint: true }).catch(() => null);
      if (info?.isFile()) keys.add(fileKey(info.dev, info.ino));
    }
    return keys;
  }

  private dataDirReal(): Promise<string> {
    this.dataReal ??= realOrResolved(this.policy.dataDir);
    return this.dataReal;
  }
}

/** `dev:ino` of a file, as `stationFileKeys` holds them. */
export function fileKey(dev: bigint | string, ino: bigint | string): string {
  return `${String(dev)}:${String(ino)}`;
}

/**
 * Checks the folders an administrator allows (`settings.importRoots`): absolute on this system,
 * neither the station's data folder (nor a folder holding it) nor a system tree. Returns them
 * normalised; throws `input.invalid` naming the first bad one.
 */
export async function validateImportRoots(roots: readonly string[], dataDir: string): Promise<string[]> {
  const gate = new SourceGate({ via: 'cli', dataDir, roots: [] });
  const out: string[] = [];
  for (const root of roots) {
    const problem = (text: string): AppError =>
      new AppError('input.invalid', { field: 'importRoots', problem: `${root}: ${text}` });
    if (!isAbsolute(root)) throw problem('not an absolute path');
    const real = await realOrResolved(root);
    if ((await gate.refusalOf(real, resolve(root))) !== null || (await gate.containsStation(real))) {
      throw problem('the station data folder or a system folder');
    }
    if (dirname(real) === real) throw problem('the whole disk');
    out.push(resolve(root));
  }
  return [...new Set(out)];
}
