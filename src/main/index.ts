/**
 * Electron main process: lifecycle and wiring only. All station logic lives in the engine
 * (`src/core`), which runs in its own utility process (`engineProcess.ts`) and which this process
 * reaches over the station's socket through exactly two doors: the IPC channel (`ipc.ts`) and the
 * media protocol (`mediaResponse.ts`).
 *
 * Packaged builds flip these Electron fuses at package time (`@electron/fuses`, not a dependency
 * yet), because a signed evidence app must not be turned into a general-purpose Node runtime:
 * - RunAsNode: off (`ELECTRON_RUN_AS_NODE` cannot run arbitrary scripts with our signature)
 * - EnableNodeOptionsEnvironmentVariable: off (`NODE_OPTIONS=--require …` cannot inject code)
 * - EnableNodeCliInspectArguments: off (no `--inspect` debugger on a station in the field)
 * - EnableEmbeddedAsarIntegrityValidation: on (a modified app.asar refuses to start)
 * - OnlyLoadAppFromAsar: on (no loose `app/` folder next to the asar is loaded instead)
 * - GrantFileProtocolExtraPrivileges: off (the renderer is served from `app://`, never `file://`)
 */
import path from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import type { Engine } from '../core/engineApi';
import { startDesktopEngine } from './engineProcess';
import { APP_ENTRY_URL, APP_ORIGIN, originOf } from './appOrigin';
import { buildContentSecurityPolicy } from './csp';
import { resolveDesktopDataDir } from './dataDir';
import { buildDesktopEngineOptions } from './engineOptions';
import { forwardEventsTo, registerIpc } from './ipc';
import { createConsoleLogger } from './log';
import { handleProtocols, registerPrivilegedSchemes } from './protocols';
import { createSessionGate, type SessionGate } from './sessionGate';
import { createMainWindow, hardenWebContents, restrictPermissions } from './window';

const log = createConsoleLogger('main');

// electron-vite sets this for `electron-vite dev`; a packaged app never trusts it.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const devServerOrigin = originOf(devServerUrl) ?? undefined;
const trustedOrigins: readonly string[] = devServerOrigin ? [APP_ORIGIN, devServerOrigin] : [APP_ORIGIN];

const { dataDir, isChosen } = resolveDesktopDataDir(process.argv, process.env);
// A chosen data folder gets its own Chromium profile and its own single-instance lock: the lock
// protects one station database, and two test runs with two temp folders must not collide.
if (isChosen) {
  app.setPath('userData', path.join(dataDir, 'electron'));
}

registerPrivilegedSchemes();
app.enableSandbox();

let engine: Engine | null = null;
let mainWindow: BrowserWindow | null = null;
/** The session gate of each of our windows, by webContents id; a webContents not in here is not ours. */
const gates = new Map<number, SessionGate>();

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, trustedOrigins, log));

if (!app.requestSingleInstanceLock()) {
  log.info('another window already serves this station; handing over to it', { dataDir });
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', closeEngineThenQuit);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('startup failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      dialog.showErrorBox('Evidence Station', `The station could not start.\n\n${String(error)}`);
      app.exit(1);
    });
}

async function start(): Promise<void> {
  log.info('starting', { dataDir, version: app.getVersion(), electron: process.versions.electron });
  const runtime = { isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, env: process.env };
  // The engine runs in its own (utility) process, or is the one already open on this station.
  // safeStorage lives in this (main) process only: the engine asks for it over its parent port
  // (main/keyProtectorHost.ts). An engine this app did not start (`serve`, a CLI command) has no
  // keychain: a safeStorage key then stays locked there (key.unavailable).
  const current = await startDesktopEngine(
    buildDesktopEngineOptions(dataDir, runtime, createConsoleLogger('engine')),
    log,
  );
  current.onLost((error) => {
    log.error('the station engine went away', { reason: String(error.params.reason ?? '') });
    dialog.showErrorBox('Evidence Station', 'The station engine stopped. The app will close; start it again.');
    app.exit(1);
  });
  engine = current;

  const csp = buildContentSecurityPolicy(devServerOrigin);
  const ses = session.defaultSession;
  restrictPermissions(ses, trustedOrigins);
  handleProtocols(ses, { engine: current, log, rendererDir: path.join(app.getAppPath(), 'out', 'renderer'), csp });
  if (devServerOrigin) {
    // The dev server does not send our CSP; add it so development sees the same policy violations.
    ses.webRequest.onHeadersReceived({ urls: [`${devServerOrigin}/*`] }, (details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
    });
  }
  registerIpc(current, { trustedOrigins, isOwnWebContents: (id) => gates.has(id) }, (id) => gates.get(id), log);
  openMainWindow(current);
}

function openMainWindow(current: Engine): void {
  const window = createMainWindow({
    preloadPath: path.join(app.getAppPath(), 'out', 'preload', 'index.cjs'),
    entryUrl: devServerUrl ?? APP_ENTRY_URL,
    iconPath: path.join(app.getAppPath(), 'resources', 'icon.png'),
  });
  const contentsId = window.webContents.id;
  const gate = createSessionGate((sessionId) => current.activeAccount(sessionId) !== null);
  gates.set(contentsId, gate);
  forwardEventsTo(current, window.webContents, gate);
  window.webContents.on('render-process-gone', (_event, details) => log.error('renderer gone', { ...details }));
  window.on('closed', () => {
    gates.delete(contentsId);
    if (mainWindow === window) mainWindow = null;
  });
  mainWindow = window;
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

/**
 * Quitting waits for the engine: it aborts imports and ffmpeg children and closes the database,
 * so a quit mid-import leaves the old state or the new one, never half of each.
 */
function closeEngineThenQuit(event: Electron.Event): void {
  if (!engine) return;
  event.preventDefault();
  const closing = engine;
  engine = null;
  closing
    .close()
    .catch((error: unknown) => log.error('engine close failed', { error: String(error) }))
    .finally(() => app.quit());
}
