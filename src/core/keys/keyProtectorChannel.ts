import { z } from 'zod';
import { AppError } from '../../shared/errors';
import type { KeyProtector } from '../engineApi';

/**
 * The station key's OS protection across a process boundary. In the desktop app the engine runs in
 * a utility process, but the OS keychain encryption (Electron `safeStorage`) exists only in the main
 * process: the engine asks main, over the utility process's parent port, to encrypt or decrypt the
 * key's bytes. This module is the engine's side and the message shapes both sides validate; it
 * knows nothing of Electron (`src/main/keyProtectorHost.ts` is main's side).
 */

/** A key's PKCS#8 DER is 48 bytes and its encrypted form a little more: anything near this is not a key. */
export const MAX_KEY_MESSAGE_BYTES = 64 * 1024;
const Base64 = z
  .string()
  .max(Math.ceil(MAX_KEY_MESSAGE_BYTES / 3) * 4)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const KeyProtectorRequest = z.discriminatedUnion('op', [
  z
    .object({ type: z.literal('keyProtector.request'), id: z.number().int().positive(), op: z.literal('isAvailable') })
    .strict(),
  z
    .object({
      type: z.literal('keyProtector.request'),
      id: z.number().int().positive(),
      op: z.enum(['encrypt', 'decrypt']),
      data: Base64,
    })
    .strict(),
]);
export type KeyProtectorRequest = z.infer<typeof KeyProtectorRequest>;

export const KeyProtectorReply = z.union([
  z
    .object({
      type: z.literal('keyProtector.reply'),
      id: z.number().int().positive(),
      ok: z.literal(true),
      available: z.boolean(),
    })
    .strict(),
  z
    .object({
      type: z.literal('keyProtector.reply'),
      id: z.number().int().positive(),
      ok: z.literal(true),
      data: Base64,
    })
    .strict(),
  z
    .object({
      type: z.literal('keyProtector.reply'),
      id: z.number().int().positive(),
      ok: z.literal(false),
      /** `unavailable`: no OS encryption now; `failed`: it refused these bytes (another user's, damaged). */
      error: z.enum(['unavailable', 'failed', 'invalid']),
    })
    .strict(),
]);
export type KeyProtectorReply = z.infer<typeof KeyProtectorReply>;

/** A message port as both process kinds offer it, reduced to what the channel needs. */
export interface KeyPort {
  postMessage(message: unknown): void;
  /** Subscribes to every message's data; returns the unsubscribe. */
  onMessage(listener: (data: unknown) => void): () => void;
}

/** How long the engine waits for main to answer: a keychain prompt may take a person a while. */
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The engine's `KeyProtector` over a port to the host that holds the keychain. Every reply is
 * validated; one that does not match a pending request is dropped. A host that does not answer, or
 * answers `unavailable`, leaves the key locked (`key.unavailable`); a refusal to decrypt is
 * `key.protectorFailed`, never a wrong key.
 */
export class ChannelKeyProtector implements KeyProtector {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (reply: KeyProtectorReply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly port: KeyPort,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    this.unsubscribe = port.onMessage((data) => this.receive(data));
  }

  async isAvailable(): Promise<boolean> {
    const reply = await this.ask({ op: 'isAvailable' }).catch(() => null);
    return reply !== null && reply.ok && 'available' in reply && reply.available;
  }

  async encrypt(plain: Buffer): Promise<Buffer> {
    return this.bytes(await this.ask({ op: 'encrypt', data: plain.toString('base64') }));
  }

  async decrypt(encrypted: Buffer): Promise<Buffer> {
    return this.bytes(await this.ask({ op: 'decrypt', data: encrypted.toString('base64') }));
  }

  /** Stops listening; pending requests fail as unavailable. */
  close(): void {
    this.unsubscribe();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AppError('key.unavailable'));
      this.pending.delete(id);
    }
  }

  private bytes(reply: KeyProtectorReply): Buffer {
    if (reply.ok && 'data' in reply) return Buffer.from(reply.data, 'base64');
    if (!reply.ok && reply.error === 'unavailable') throw new AppError('key.unavailable');
    throw new AppError('key.protectorFailed');
  }

  private ask(body: { op: 'isAvailable' } | { op: 'encrypt' | 'decrypt'; data: string }): Promise<KeyProtectorReply> {
    const id = this.nextId++;
    const request = KeyProtectorRequest.parse({ type: 'keyProtector.request', id, ...body });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AppError('key.unavailable'));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.port.postMessage(request);
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new AppError('key.unavailable'));
      }
    });
  }

  private receive(data: unknown): void {
    const parsed = KeyProtectorReply.safeParse(data);
    if (!parsed.success) return;
    const waiting = this.pending.get(parsed.data.id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(parsed.data.id);
    waiting.resolve(parsed.data);
  }
}
