/**
 * The import this browser started and has not yet shown the end of. Kept in localStorage, so a
 * tab closed mid-import (or a reload, or a crash) still learns how it ended when the station is
 * opened again: the engine finishes the import whether or not anyone watches.
 */
const KEY = 'station.watchedImport';

export function rememberWatchedImport(importId: string): void {
  try {
    localStorage.setItem(KEY, importId);
  } catch {
    // Storage refused (private mode, quota): the import still runs; only this reminder is lost.
  }
}

export function watchedImport(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

/** The end of `importId` has been shown; a newer import's reminder is left alone. */
export function forgetWatchedImport(importId: string): void {
  try {
    if (localStorage.getItem(KEY) === importId) localStorage.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}
