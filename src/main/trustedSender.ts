import { isTrustedUrl } from './appOrigin';

/** What the main process knows about who sent an IPC message (read from `IpcMainInvokeEvent`). */
export interface SenderInfo {
  /** URL of the sending frame; undefined when the frame is gone (navigated or destroyed). */
  frameUrl: string | undefined;
  /** False for iframes: only our top-level page may call the engine. */
  isMainFrame: boolean;
  webContentsId: number;
}

export interface SenderPolicy {
  trustedOrigins: readonly string[];
  /** True for the webContents of windows this process created. */
  isOwnWebContents(id: number): boolean;
}

/**
 * The IPC sender check, after vscode's `ValidatedIpcMain`: a message is served only when it comes
 * from the main frame of one of our windows, showing a page of our own origin. Payload validation
 * happens afterwards, against the contract.
 */
export function isTrustedSender(sender: SenderInfo, policy: SenderPolicy): boolean {
  return (
    sender.isMainFrame &&
    policy.isOwnWebContents(sender.webContentsId) &&
    isTrustedUrl(sender.frameUrl, policy.trustedOrigins)
  );
}

/**
 * Permissions our page may hold: fullscreen for the video player and clipboard writes for copying
 * hashes. Camera, microphone, geolocation, notifications, USB/HID/serial and the rest are denied.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write']);

export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  trustedOrigins: readonly string[],
): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isTrustedUrl(requestingUrl, trustedOrigins);
}
