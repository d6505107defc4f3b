import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { Engine, Logger } from '../core/engineApi';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type BridgeResult } from '../shared/bridge';
import { AppError, serializeError } from '../shared/errors';
import { dispatchIpcCall, forwardEngineEvents } from './ipcHandlers';
import { isTrustedSender, type SenderInfo, type SenderPolicy } from './trustedSender';

/**
 * The only IPC handler of the app: one channel for every contract method. The sender is checked
 * first (main frame of our window, our origin), then the envelope, then the engine validates the
 * input against the contract. A refused sender is logged and answered with `host.origin`.
 */
export function registerIpc(engine: Pick<Engine, 'call'>, policy: SenderPolicy, log: Logger): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, envelope: unknown): Promise<BridgeResult> => {
    const sender = describeSender(event);
    if (!isTrustedSender(sender, policy)) {
      log.warn('ipc call refused', { ...sender, channel: IPC_CALL_CHANNEL });
      return { ok: false, error: serializeError(new AppError('host.origin')) };
    }
    return dispatchIpcCall(engine, envelope, log);
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

/** Sends every engine event to one window's page until the window goes away. */
export function forwardEventsTo(engine: Pick<Engine, 'on'>, contents: WebContents): () => void {
  const stop = forwardEngineEvents(engine, (envelope) => {
    if (!contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, envelope);
  });
  contents.once('destroyed', stop);
  return stop;
}
