import type { BridgeResult, IpcEventEnvelope } from '../shared/bridge';
import { events, isMethodName, type EventName } from '../shared/contract';
import { AppError, serializeError } from '../shared/errors';
import type { Engine, Logger } from '../core/engineApi';
import type { SessionGate } from './sessionGate';

const MAX_METHOD_NAME_LENGTH = 64;
const MAX_SESSION_ID_LENGTH = 128;

/**
 * Serves one call that arrived on `IPC_CALL_CHANNEL` from a sender already checked by
 * `isTrustedSender`. Checks the envelope and the method name, then hands the raw input to the
 * engine, which validates it against the contract. Never throws: Electron would keep only the
 * message of a thrown error, so every failure goes back as `{ code, params }` data. The sender's
 * `gate` learns which session the call leaves the page with.
 */
export async function dispatchIpcCall(
  engine: Pick<Engine, 'call'>,
  raw: unknown,
  log: Logger,
  gate: Pick<SessionGate, 'observe'>,
): Promise<BridgeResult> {
  if (typeof raw !== 'object' || raw === null) return failure(new AppError('input.invalid'));
  const { method, input, sessionId } = raw as Record<string, unknown>;
  if (typeof method !== 'string' || method.length > MAX_METHOD_NAME_LENGTH) {
    return failure(new AppError('input.invalid'));
  }
  if (!isMethodName(method)) return failure(new AppError('method.unknown', { method }));
  if (!isSessionId(sessionId)) return failure(new AppError('input.invalid'));

  let result: BridgeResult;
  try {
    const value = await engine.call(method, input ?? {}, { sessionId: sessionId ?? null, via: 'ipc' });
    result = { ok: true, value };
  } catch (error) {
    if (!(error instanceof AppError)) {
      log.error('ipc call failed', { method, error: describeError(error) });
    }
    result = failure(error);
  }
  gate.observe(method, sessionId ?? null, result);
  return result;
}

function isSessionId(value: unknown): value is string | null | undefined {
  return value == null || (typeof value === 'string' && value.length > 0 && value.length <= MAX_SESSION_ID_LENGTH);
}

function failure(error: unknown): BridgeResult {
  return { ok: false, error: serializeError(error) };
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

/**
 * Relays every contract event from the engine to `send` (the window's webContents) while the
 * window's `gate` is open, and drops it otherwise. Returns a function that stops relaying; called
 * when the window closes.
 */
export function forwardEngineEvents(
  engine: Pick<Engine, 'on'>,
  send: (envelope: IpcEventEnvelope) => void,
  gate: Pick<SessionGate, 'isOpen'>,
): () => void {
  const names = Object.keys(events) as EventName[];
  const unsubscribers = names.map((event) =>
    engine.on(event, (payload) => {
      if (gate.isOpen()) send({ event, payload });
    }),
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
