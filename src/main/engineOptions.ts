import path from 'node:path';
import type { EngineOptions, Logger } from '../core/engineApi';

/** What the desktop engine's options depend on, read from Electron's `app` and `process` by index.ts. */
export interface DesktopRuntime {
  /** `app.isPackaged`: an installed build, as opposed to `npm start` in a checkout. */
  isPackaged: boolean;
  /** `process.resourcesPath`: the packaged app's resources folder, where ffmpeg/ffprobe are shipped in `bin/`. */
  resourcesPath: string;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The engine options of the desktop app.
 * - A packaged app finds ffmpeg/ffprobe in `<resources>/bin`, the default taxonomy in
 *   `<resources>/resources`, and uses the better-sqlite3 build its
 *   packager made for Electron; it ignores `STATION_SQLITE_BINDING`, because an environment
 *   variable that loads native code into a signed evidence app would be a way around its signature.
 * - `npm start` passes the Electron build of better-sqlite3 in `STATION_SQLITE_BINDING`
 *   (scripts/electronSqlite.mjs), since node_modules holds the Node build.
 */
export function buildDesktopEngineOptions(dataDir: string, runtime: DesktopRuntime, log: Logger): EngineOptions {
  if (runtime.isPackaged) {
    // The default violation catalogue ships as `<resources>/resources/taxonomy/default.json`.
    return {
      dataDir,
      log,
      mediaBundledDir: path.join(runtime.resourcesPath, 'bin'),
      resourcesDir: path.join(runtime.resourcesPath, 'resources'),
    };
  }
  const sqliteNativeBinding = runtime.env.STATION_SQLITE_BINDING || undefined;
  return { dataDir, log, ...(sqliteNativeBinding ? { sqliteNativeBinding } : {}) };
}
