// Finds Electron's executable WITHOUT `require('electron')`: that call downloads the binary when it
// is missing (node_modules/electron/index.js → install.js), which hangs or fails on machines with
// no access to Electron's release host. This reads the same files install.js writes and nothing else.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(env = process.env) {
  if (env.ELECTRON_EXEC_PATH) {
    return existsSync(env.ELECTRON_EXEC_PATH)
      ? { ok: true, path: env.ELECTRON_EXEC_PATH }
      : { ok: false, reason: `ELECTRON_EXEC_PATH points at ${env.ELECTRON_EXEC_PATH}, which does not exist` };
  }
  let packageDir;
  try {
    // Resolving package.json only locates the folder; it does not run index.js.
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { ok: false, reason: 'node_modules/electron/path.txt is missing: the binary was never downloaded' };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const executable = env.ELECTRON_OVERRIDE_DIST_PATH
    ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron')
    : path.join(packageDir, 'dist', relative);
  return existsSync(executable) ? { ok: true, path: executable } : { ok: false, reason: `nothing at ${executable}` };
}
