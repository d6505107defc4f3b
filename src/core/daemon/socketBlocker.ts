import { lstat, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Logger } from '../engineApi';

/** What sits at the socket's name when it is not a socket. */
export type BlockerKind = 'file' | 'directory' | 'symlink' | 'other';

/** Things moved aside are named `engine.sock.found-<kind>-<when>`, so a person sees what each was. */
export const MOVED_ASIDE_PREFIX = 'engine.sock.found-';

/** What is at `path`, without following a link: absent, a socket, or a blocker of some kind. */
export async function socketPathState(path: string): Promise<'absent' | 'socket' | BlockerKind> {
  const info = await lstat(path).catch(() => null);
  if (!info) return 'absent';
  if (info.isSocket()) return 'socket';
  if (info.isSymbolicLink()) return 'symlink';
  if (info.isDirectory()) return 'directory';
  if (info.isFile()) return 'file';
  return 'other';
}

/**
 * Makes the socket's name free for the engine that holds the station's lock, and so owns that name:
 * a socket left there is a dead owner's and is unlinked; anything else (a file, a folder, a link)
 * is not the station's to delete, so it is renamed beside it (a rename moves a link itself, never
 * what it points at), logged, and listed by `check` until someone removes it.
 */
export async function clearSocketPath(socketPath: string, log: Logger, now: Date): Promise<string | null> {
  const state = await socketPathState(socketPath);
  if (state === 'absent') return null;
  if (state === 'socket') {
    await unlink(socketPath);
    return null;
  }
  const dir = dirname(socketPath);
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const taken = new Set(await readdir(dir).catch(() => [] as string[]));
  const base = `${basename(socketPath)}.found-${state}-${stamp}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
  const aside = join(dir, name);
  try {
    await rename(socketPath, aside);
  } catch (error) {
    // A name in a shared temp folder (a long data path) may belong to another OS user.
    throw new AppError('engine.socketUnmovable', {
      path: socketPath,
      kind: state,
      reason: (error as NodeJS.ErrnoException).code ?? String(error),
    });
  }
  log.warn('engine: a non-socket at the engine socket’s name was moved aside', {
    socket: socketPath,
    kind: state,
    movedTo: aside,
  });
  return aside;
}
