import path from 'node:path';
import { BrowserWindow, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/engineApi';
import { isTrustedUrl } from './appOrigin';
import { isPermissionAllowed } from './trustedSender';

export interface MainWindowOptions {
  /** The built preload script (one CommonJS file: sandboxed preloads cannot load modules). */
  preloadPath: string;
  /** `app://station/index.html`, or the Vite dev server in development. */
  entryUrl: string;
  iconPath?: string;
}

/**
 * The station window. Everything that reaches the page goes through the preload's `window.station`;
 * the page itself runs with no Node, in Chromium's sandbox, isolated from the preload.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Evidence Station',
    backgroundColor: '#111418',
    ...(options.iconPath ? { icon: options.iconPath } : {}),
    webPreferences: {
      preload: path.resolve(options.preloadPath),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      // A file dropped outside the drop zone must not replace the app with the file.
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.entryUrl);
  return window;
}

/**
 * Applied to every webContents the app creates: no navigation off our origin, no new windows, no
 * `<webview>`. Links to elsewhere are simply dropped; the station is offline by design.
 */
export function hardenWebContents(contents: WebContents, trustedOrigins: readonly string[], log: Logger): void {
  const refuseNavigation = (event: { preventDefault(): void; url: string }) => {
    if (isTrustedUrl(event.url, trustedOrigins)) return;
    event.preventDefault();
    log.warn('navigation refused', { url: event.url });
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview refused');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log.warn('window.open refused', { url });
    return { action: 'deny' };
  });
}

/** Denies every permission except the few our own page needs (see `isPermissionAllowed`). */
export function restrictPermissions(session: Session, trustedOrigins: readonly string[]): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, trustedOrigins));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    isPermissionAllowed(permission, requestingOrigin, trustedOrigins),
  );
  session.setDevicePermissionHandler(() => false);
}
