// `npm start`: the desktop app when Electron's binary is here, otherwise the local web host with
// the same UI and engine. Arguments after `--` are passed on (`npm start -- --data ./st --port 0`).
// Works with no stdin (CI) and hands SIGINT/SIGTERM to the running child.
//
// The desktop app needs better-sqlite3 built for Electron's ABI, which differs from the Node build
// in node_modules; electronSqlite.mjs fetches or builds it once into out/native. When that fails,
// the web host starts instead, so `npm start` always ends with a working station.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electronBinary.mjs';
import { desktopNodeProblem } from './nodeVersions.mjs';
import { ensureElectronSqliteBinding } from './electronSqlite.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const isWindows = process.platform === 'win32';

/** Runs one step to completion; rejects with its exit status so `main` can stop there. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      shell: options.shell ?? false,
      env: { ...process.env, ...options.env },
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      if (code === 0) resolve();
      // A child stopped by a signal exits the way a shell reports it: 128 + the signal number.
      const exitCode = code ?? 128 + (os.constants.signals[signal] ?? 0);
      reject(Object.assign(new Error(`${command} exited with ${code ?? signal}`), { exitCode }));
    });
  });
}

async function startDesktop(electronPath, sqliteBindingPath) {
  const electronVite = path.join(
    path.dirname(require.resolve('electron-vite/package.json')),
    'bin',
    'electron-vite.js',
  );
  await run(process.execPath, [electronVite, 'build']);
  await run(electronPath, ['.', ...args], { env: { STATION_SQLITE_BINDING: sqliteBindingPath } });
}

async function startWebHost() {
  // `npm_execpath` is npm's own CLI when run through `npm start`; fall back to npm on PATH.
  const npmCli = process.env.npm_execpath;
  if (npmCli) await run(process.execPath, [npmCli, 'run', '-s', 'build:web']);
  else await run(isWindows ? 'npm.cmd' : 'npm', ['run', '-s', 'build:web'], { shell: isWindows });
  await run(process.execPath, [path.join(root, 'bin', 'evidence-station.mjs'), 'serve', ...args]);
}

async function main() {
  const electron = findElectronBinary();
  // An Electron binary installed by an older Node's `npm ci` cannot be there: say why in one line.
  const nodeProblem = electron.ok ? null : desktopNodeProblem(process.version);
  if (nodeProblem) {
    console.log(nodeProblem);
    await startWebHost();
    return;
  }
  if (!electron.ok) {
    console.log(`Electron's binary is not installed here (${electron.reason}); starting the web host instead.`);
    await startWebHost();
    return;
  }
  const sqlite = await ensureElectronSqliteBinding({ root, electronPath: electron.path, onBuildStart: console.log });
  if (!sqlite.ok) {
    const log = sqlite.logFile ? `; details in ${path.relative(root, sqlite.logFile)}` : '';
    console.log(
      `better-sqlite3 could not be built for Electron (${sqlite.reason}${log}); starting the web host instead.`,
    );
    await startWebHost();
    return;
  }
  await startDesktop(electron.path, sqlite.path);
}

main().catch((error) => {
  if (!('exitCode' in error)) console.error(error);
  process.exit(typeof error.exitCode === 'number' ? error.exitCode : 1);
});
