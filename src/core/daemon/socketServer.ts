import { chmod, mkdir } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { events, type EventName } from '../../shared/contract';
import { AppError, type ErrorCode, type ErrorParams } from '../../shared/errors';
import type { Account } from '../../shared/schemas';
import type { StationEngine } from '../engine';
import type { CallContext, Logger } from '../engineApi';
import { clearSocketPath } from './socketBlocker';
import type { QuarantineDecision } from '../store/quarantineResolution';
import {
  MAX_REQUEST_BYTES,
  RequestFrame,
  frameReader,
  isTrustedMethod,
  trustedMethods,
  type TrustedMethod,
} from './protocol';

export interface EngineServer {
  readonly socketPath: string;
  /** Connections open now (a CLI-started owner waits for them before it closes). */
  connections(): number;
  /** Stops accepting, and resolves once every client has gone. */
  close(): Promise<void>;
  /** Ends every connection at once. */
  destroy(): Promise<void>;
}

/** A slow client that lets this much pile up unread is cut off rather than grow the engine's memory. */
const MAX_UNSENT_BYTES = 64 * 1024 * 1024;
/** The sessions a connection reports on: a web host has a handful; the oldest are forgotten. */
const MAX_TRACKED_SESSIONS = 64;

/**
 * Serves an engine over a Unix socket (a named pipe on Windows) that only the station's OS user
 * can open: the socket lives in the 0700 data directory and is made 0600. Every frame is validated
 * and size-capped here; every contract input is validated again by `engine.call`.
 */
export async function serveEngine(engine: StationEngine, socketPath: string, log: Logger): Promise<EngineServer> {
  if (process.platform !== 'win32') {
    await mkdir(dirname(socketPath), { recursive: true, mode: 0o700 });
    // Only the lock holder serves, so whatever holds the name now is not another engine's.
    await clearSocketPath(socketPath, log, new Date());
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    handleConnection(engine, socket, log);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: socketPath, readableAll: false, writableAll: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') await chmod(socketPath, 0o600);
  log.info('engine: serving hosts', { socket: socketPath });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => server.close(() => resolve()));
    return closing;
  };
  return {
    socketPath,
    connections: () => sockets.size,
    close,
    async destroy() {
      const closed = close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

function handleConnection(engine: StationEngine, socket: Socket, log: Logger): void {
  const seenSessions: string[] = [];
  const unsubscribes: (() => void)[] = [];
  let open = true;

  const track = (sessionId: string | null | undefined): void => {
    if (!sessionId || seenSessions.includes(sessionId)) return;
    seenSessions.push(sessionId);
    if (seenSessions.length > MAX_TRACKED_SESSIONS) seenSessions.shift();
  };
  const sessions = (): Record<string, Account | null> =>
    Object.fromEntries(seenSessions.map((id) => [id, engine.activeAccount(id)]));

  const send = (frame: object): void => {
    if (!open) return;
    if (socket.writableLength > MAX_UNSENT_BYTES) {
      log.warn('engine: a host stopped reading; its connection is closed');
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(frame)}\n`);
  };
  const fail = (id: number, code: ErrorCode, params: ErrorParams = {}): void =>
    send({ id, error: { code, params }, sessions: sessions() });

  const onFrame = (text: string): void => {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      log.warn('engine: a host sent a frame that is not JSON; its connection is closed');
      socket.destroy();
      return;
    }
    const parsed = RequestFrame.safeParse(raw);
    if (!parsed.success) {
      log.warn('engine: a host sent a malformed frame; its connection is closed', {
        problem: parsed.error.issues[0]?.message ?? 'invalid',
      });
      socket.destroy();
      return;
    }
    const frame = parsed.data;
    track(frame.ctx.sessionId);
    void answer(frame).then(
      (output) => {
        if (output && typeof output === 'object' && 'sessionId' in output && typeof output.sessionId === 'string')
          track(output.sessionId);
        send({ id: frame.id, output: output ?? {}, sessions: sessions() });
      },
      (error: unknown) => {
        if (error instanceof AppError) {
          fail(frame.id, error.code, error.params);
          return;
        }
        log.error('engine: a call failed unexpectedly', { method: frame.method, error: String(error) });
        fail(frame.id, 'internal');
      },
    );
  };

  const answer = async (frame: RequestFrame): Promise<unknown> => {
    const ctx: CallContext = frame.ctx;
    if (!isTrustedMethod(frame.method)) return engine.call(frame.method as never, frame.input, ctx);
    const method: TrustedMethod = frame.method;
    const spec = trustedMethods[method];
    const input = spec.input.safeParse(frame.input ?? {});
    if (!input.success) {
      const issue = input.error.issues[0];
      throw new AppError('input.invalid', { field: issue?.path.join('.') ?? '', problem: issue?.message ?? 'invalid' });
    }
    const data = input.data as Record<string, unknown>;
    switch (method) {
      case 'engine.hello':
        return { owner: engine.owner, dataDir: engine.dataDir };
      case 'engine.subscribe':
        if (unsubscribes.length === 0) {
          for (const event of Object.keys(events) as EventName[]) {
            unsubscribes.push(engine.on(event, (payload) => send({ event, payload, sessions: sessions() })));
          }
        }
        return {};
      case 'engine.openMedia': {
        const { itemId, variant, part } = input.data as { itemId: string; variant: never; part?: number };
        return engine.openMedia(itemId, variant, ctx, part);
      }
      case 'engine.activeAccount':
        return { account: engine.activeAccount(ctx.sessionId) };
      case 'engine.waitForImport':
        return engine.waitForImport(data.importId as string);
      case 'engine.whenJobsIdle':
        await engine.whenJobsIdle();
        return {};
      case 'engine.accountNamesForSignIn':
        return { accounts: await engine.accountNamesForSignIn() };
      case 'engine.resolveQuarantine':
        return engine.resolveQuarantine(
          data.id as number,
          data.decision as QuarantineDecision,
          data.note as string,
          ctx,
        );
      case 'engine.check':
        return engine.check({
          rehash: data.rehash as boolean,
          onProgress: (done, total) => send({ id: frame.id, progress: { done, total } }),
        });
    }
  };

  socket.on(
    'data',
    frameReader(MAX_REQUEST_BYTES, onFrame, () => {
      log.warn('engine: a host sent an oversized frame; its connection is closed');
      socket.destroy();
    }),
  );
  socket.on('error', () => undefined);
  socket.on('close', () => {
    open = false;
    for (const off of unsubscribes) off();
  });
}
