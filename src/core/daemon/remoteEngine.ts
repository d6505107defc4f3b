import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import {
  isEventName,
  type EventName,
  type EventPayload,
  type MethodName,
  type MethodOutput,
} from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { Account, ImportRecord } from '../../shared/schemas';
import type { CheckReport } from '../check/checkStation';
import type { StationEngine } from '../engine';
import type { CallContext, MediaFile } from '../engineApi';
import type { OwnerRecord } from '../station/engineLock';
import { evidencePath, stationLayout } from '../store/layout';
import type { QuarantineDecision, QuarantineResolved } from '../store/quarantineResolution';
import {
  MAX_REPLY_BYTES,
  ReplyFrame,
  frameReader,
  trustedMethods,
  type TrustedInput,
  type TrustedMethod,
  type TrustedOutput,
} from './protocol';

interface Pending {
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number, total: number) => void;
}

/** The context of trusted-host requests that act for no session. */
const HOST_CTX: CallContext = { sessionId: null, via: 'cli' };

/**
 * The engine of another process, reached over its socket: the same `Engine` interface (plus the
 * trusted-host extras) that an in-process engine offers, so the CLI, the web host and Electron
 * main drive either without knowing which. A lost connection fails every pending and later call
 * with `engine.unreachable`; it never retries a call on its own, since a call may have happened.
 */
export class RemoteEngine implements StationEngine {
  private readonly pending = new Map<number, Pending>();
  private readonly bus = new EventEmitter();
  /** Session state as of the last frame: hosts ask `activeAccount` synchronously on every event. */
  private readonly sessions = new Map<string, Account | null>();
  private nextId = 1;
  private subscribed: Promise<unknown> | null = null;
  private lost: AppError | null = null;
  private closing: Promise<void> | null = null;
  private readonly onLostHandlers: ((error: AppError) => void)[] = [];

  private constructor(
    private readonly socket: Socket,
    readonly dataDir: string,
    readonly owner: OwnerRecord,
    private readonly via: CallContext['via'],
    /** What closing this handle also stops: an engine process this host started, for example. */
    private readonly onClose: () => Promise<void>,
  ) {
    this.bus.setMaxListeners(0);
  }

  /**
   * Connects and checks the engine's identity: it must own `expectDataDir` and, when given, be
   * the process named by the owner record the caller read.
   */
  static async connect(
    socketPath: string,
    opts: {
      expectDataDir: string;
      expectPid?: number;
      via: CallContext['via'];
      onClose?: () => Promise<void>;
    },
  ): Promise<RemoteEngine> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath);
      s.once('connect', () => {
        s.off('error', reject);
        resolve(s);
      });
      s.once('error', reject);
    });
    const hello = await RemoteEngine.handshake(socket);
    const remote = new RemoteEngine(socket, hello.dataDir, hello.owner, opts.via, opts.onClose ?? (async () => {}));
    remote.attach();
    if (hello.dataDir !== opts.expectDataDir || (opts.expectPid !== undefined && hello.owner.pid !== opts.expectPid)) {
      await remote.close();
      throw new AppError('engine.unreachable', { reason: 'another engine answered at this address' });
    }
    return remote;
  }

  /** The first exchange, before frames are routed: one `engine.hello` request and its reply. */
  private static handshake(socket: Socket): Promise<TrustedOutput<'engine.hello'>> {
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        socket.off('data', read);
        socket.off('close', onClose);
        socket.off('error', onError);
      };
      const onClose = (): void => {
        cleanup();
        reject(new AppError('engine.unreachable', { reason: 'closed during the handshake' }));
      };
      // An owner that ends while this host says hello resets the connection: without a listener
      // that error would end this process instead of letting the caller find the next owner.
      const onError = (error: Error): void => {
        cleanup();
        socket.destroy();
        reject(
          new AppError('engine.unreachable', {
            reason: `the connection failed during the handshake: ${error.message}`,
          }),
        );
      };
      const read = frameReader(
        MAX_REPLY_BYTES,
        (text) => {
          cleanup();
          try {
            const frame = ReplyFrame.parse(JSON.parse(text));
            if (!('output' in frame)) throw new Error('no hello');
            resolve(trustedMethods['engine.hello'].output.parse(frame.output));
          } catch {
            socket.destroy();
            reject(new AppError('engine.unreachable', { reason: 'the answer was not an engine hello' }));
          }
        },
        () => onClose(),
      );
      socket.on('data', read);
      socket.on('close', onClose);
      socket.on('error', onError);
      socket.write(`${JSON.stringify({ id: 0, method: 'engine.hello', input: {}, ctx: HOST_CTX })}\n`);
    });
  }

  private attach(): void {
    this.socket.on(
      'data',
      frameReader(
        MAX_REPLY_BYTES,
        (text) => this.onFrame(text),
        () => this.loseConnection('an oversized reply'),
      ),
    );
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.loseConnection('the connection closed'));
  }

  /** Called once if the engine goes away (killed, crashed, or closed by its owner). */
  onLost(handler: (error: AppError) => void): void {
    this.onLostHandlers.push(handler);
  }

  private loseConnection(reason: string): void {
    if (this.lost) return;
    this.lost = new AppError('engine.unreachable', { reason });
    this.socket.destroy();
    for (const p of this.pending.values()) p.reject(this.lost);
    this.pending.clear();
    this.sessions.clear();
    if (!this.closing) for (const handler of this.onLostHandlers) handler(this.lost);
  }

  private onFrame(text: string): void {
    let frame: ReplyFrame;
    try {
      frame = ReplyFrame.parse(JSON.parse(text));
    } catch {
      this.loseConnection('a malformed reply');
      return;
    }
    if ('sessions' in frame) for (const [id, account] of Object.entries(frame.sessions)) this.sessions.set(id, account);
    if ('event' in frame) {
      if (isEventName(frame.event)) this.bus.emit(frame.event, frame.payload);
      return;
    }
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    if ('progress' in frame) {
      pending.onProgress?.(frame.progress.done, frame.progress.total);
      return;
    }
    this.pending.delete(frame.id);
    if ('error' in frame) pending.reject(new AppError(frame.error.code as never, frame.error.params));
    else pending.resolve(frame.output);
  }

  private request(
    method: string,
    input: unknown,
    ctx: CallContext,
    onProgress?: (done: number, total: number) => void,
  ): Promise<unknown> {
    if (this.lost) return Promise.reject(this.lost);
    if (this.closing) return Promise.reject(new AppError('engine.unreachable', { reason: 'closed by this host' }));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.socket.write(`${JSON.stringify({ id, method, input: input ?? {}, ctx })}\n`);
    });
  }

  private async trusted<M extends TrustedMethod>(
    method: M,
    input: TrustedInput<M>,
    ctx: CallContext = { ...HOST_CTX, via: this.via },
    onProgress?: (done: number, total: number) => void,
  ): Promise<TrustedOutput<M>> {
    const output = await this.request(method, input, ctx, onProgress);
    const parsed = trustedMethods[method].output.safeParse(output);
    if (!parsed.success) throw new AppError('engine.unreachable', { reason: `a malformed answer to ${method}` });
    return parsed.data as TrustedOutput<M>;
  }

  /** The engine validates the input and checks the session, exactly as for an in-process call. */
  async call<M extends MethodName>(method: M, rawInput: unknown, ctx: CallContext): Promise<MethodOutput<M>> {
    return (await this.request(method, rawInput, ctx)) as MethodOutput<M>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    // Sent before any later request on the same connection, and the engine handles frames in
    // order: an import started after `on()` returns cannot be missed.
    this.subscribed ??= this.trusted('engine.subscribe', {}).catch(() => undefined);
    const wrapped = (payload: EventPayload<E>): void => listener(payload);
    this.bus.on(event, wrapped);
    return () => this.bus.off(event, wrapped);
  }

  async openMedia(itemId: string, variant: Parameters<StationEngine['openMedia']>[1], ctx: CallContext, part?: number) {
    const file: MediaFile = await this.trusted(
      'engine.openMedia',
      { itemId, variant, ...(part === undefined ? {} : { part }) },
      ctx,
    );
    return file;
  }

  activeAccount(sessionId: string | null): Account | null {
    return sessionId ? (this.sessions.get(sessionId) ?? null) : null;
  }

  waitForImport(importId: string): Promise<ImportRecord> {
    return this.trusted('engine.waitForImport', { importId });
  }

  async whenJobsIdle(): Promise<void> {
    await this.trusted('engine.whenJobsIdle', {});
  }

  async accountNamesForSignIn(): Promise<{ name: string; role: Account['role'] }[]> {
    return (await this.trusted('engine.accountNamesForSignIn', {})).accounts;
  }

  /** A pure function of the data directory: the store's layout is the same in every process. */
  storedPathOf(sha256: string): string {
    return evidencePath(stationLayout(this.dataDir), sha256);
  }

  check(opts: { rehash: boolean; onProgress?: (done: number, total: number) => void }): Promise<CheckReport> {
    return this.trusted('engine.check', { rehash: opts.rehash }, undefined, opts.onProgress);
  }

  resolveQuarantine(
    id: number,
    decision: QuarantineDecision,
    note: string,
    ctx: CallContext,
  ): Promise<QuarantineResolved> {
    return this.trusted('engine.resolveQuarantine', { id, decision, note }, ctx);
  }

  /** Leaves the engine running (unless this host started it: then `onClose` stops it). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.socket.end();
      await new Promise<void>((resolve) => {
        if (this.socket.destroyed) resolve();
        else this.socket.once('close', () => resolve());
      });
      this.bus.removeAllListeners();
      await this.onClose();
    })();
    return this.closing;
  }
}
