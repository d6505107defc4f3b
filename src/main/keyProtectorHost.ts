import type { Logger } from '../core/engineApi';
import { KeyProtectorRequest, MAX_KEY_MESSAGE_BYTES, type KeyProtectorReply } from '../core/keys/keyProtectorChannel';

/** What main needs of Electron's `safeStorage`: its own shape, so this module imports no Electron. */
export interface StringEncryption {
  /** Real OS encryption is on offer (not Linux's fixed-key `basic_text` fallback). */
  isAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** The engine process main started, as main sees it (an Electron `UtilityProcess`). */
export interface EnginePort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  off(event: 'message', listener: (message: unknown) => void): void;
}

/**
 * Main's side of the key-protector channel (`core/keys/keyProtectorChannel.ts`): answers the one
 * engine process main started — it listens on that process's own port, which nothing else can
 * write to — and validates every message. Only the key's bytes cross; they are passed to the OS
 * encryption as base64 (safeStorage encrypts strings) and never logged. Messages that are not
 * key-protector requests (the engine's ready line) are left to other listeners. Returns the
 * unsubscribe.
 */
export function serveKeyProtector(port: EnginePort, encryption: StringEncryption, log: Logger): () => void {
  const listener = (message: unknown): void => {
    if (!isKeyProtectorMessage(message)) return;
    const parsed = KeyProtectorRequest.safeParse(message);
    if (!parsed.success) {
      log.warn('the engine sent a malformed key-protector request; refused');
      const id = (message as { id?: unknown }).id;
      if (typeof id === 'number' && Number.isInteger(id) && id > 0)
        reply(port, { type: 'keyProtector.reply', id, ok: false, error: 'invalid' });
      return;
    }
    reply(port, answer(parsed.data, encryption, log));
  };
  port.on('message', listener);
  return () => port.off('message', listener);
}

function isKeyProtectorMessage(message: unknown): boolean {
  return (
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'keyProtector.request'
  );
}

function reply(port: EnginePort, message: KeyProtectorReply): void {
  port.postMessage(message);
}

function answer(request: KeyProtectorRequest, encryption: StringEncryption, log: Logger): KeyProtectorReply {
  const base = { type: 'keyProtector.reply' as const, id: request.id };
  let available: boolean;
  try {
    available = encryption.isAvailable();
  } catch {
    available = false;
  }
  if (request.op === 'isAvailable') return { ...base, ok: true, available };
  if (!available) return { ...base, ok: false, error: 'unavailable' };
  const bytes = Buffer.from(request.data, 'base64');
  if (bytes.length > MAX_KEY_MESSAGE_BYTES) return { ...base, ok: false, error: 'invalid' };
  try {
    const data =
      request.op === 'encrypt'
        ? encryption.encryptString(bytes.toString('base64'))
        : Buffer.from(encryption.decryptString(bytes), 'base64');
    return { ...base, ok: true, data: data.toString('base64') };
  } catch (error) {
    log.warn('the system keychain refused a key-protector request', { op: request.op, error: String(error) });
    return { ...base, ok: false, error: 'failed' };
  } finally {
    bytes.fill(0);
  }
}
