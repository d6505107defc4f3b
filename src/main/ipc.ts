import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Engine, Logger } from '../core/engineApi';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type BridgeResult } from '../shared/bridge';
import { AppError, serializeError } from '../shared/errors';
import { dispatchIpcCall, forwardEngineEvents } from './ipcHandlers';
import type { SessionGate } from './sessionGate';
import { isTrustedSender, type SenderInfo, type SenderPolicy } from './trustedSender';

/**
 * The only IPC handler of the app: one channel for every contract method. The sender is checked
 * first (main frame of our window, our origin), then the envelope, then the engine validates the
 * input against the contract. A refused sender is logged and answered with `host.origin`.
 * `gateFor` returns the session gate of each of our windows (see `forwardEventsTo`).
 */
export function registerIpc(
  engine: Pick<Engine, 'call'>,
  policy: SenderPolicy,
  gateFor: (webContentsId: number) => SessionGate | undefined,
  log: Logger,
): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, envelope: unknown): Promise<BridgeResult> => {
    const sender = describeSender(event);
    const gate = gateFor(sender.webContentsId);
    if (!gate || !isTrustedSender(sender, policy)) {
      log.warn('ipc call refused', { ...sender, channel: IPC_CALL_CHANNEL });
      return { ok: false, error: serializeError(new AppError('host.origin')) };
    }
    return dispatchIpcCall(engine, envelope, log, gate);
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}

function describeSender(event: IpcMainInvokeEvent): SenderInfo {
  // `senderFrame` is null once the frame has navigated away or been destroyed: refuse those.
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url,
    isMainFrame: frame != null && frame.parent === null,
    webContentsId: event.sender.id,
  };
}

/**
 * Sends engine events to one window's page while its session gate is open (signed in, unlocked),
 * until the window goes away.
 */
export function forwardEventsTo(engine: Pick<Engine, 'on'>, contents: WebContents, gate: SessionGate): () => void {
  const stop = forwardEngineEvents(
    engine,
    (envelope) => {
      if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, envelope);
    },
    gate,
  );
  contents.once('destroyed', stop);
  return stop;
}
