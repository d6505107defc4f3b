import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine } from '../core/engineApi';
import { events, type EventName } from '../shared/contract';
import { sendError } from './respond';

export const HEARTBEAT_MS = 15_000;
/** How long the browser's EventSource waits before reconnecting after a dropped stream. */
const RECONNECT_MS = 2_000;

export interface EventHub {
  /** `GET /api/events`: keeps the response open and streams every engine event to it. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream and unsubscribes from the engine. */
  close(): void;
}

/**
 * Fans engine events out to Server-Sent Events streams. The hub subscribes to the engine once,
 * not once per browser tab, so a reconnecting client cannot pile up listeners.
 */
export function createEventHub(engine: Engine): EventHub {
  // Each stream belongs to a session; events go only to sessions that are signed in and unlocked,
  // so import progress never reaches a locked screen or a client that has not signed in.
  const clients = new Map<ServerResponse, string>();

  const broadcast = (event: EventName, payload: unknown): void => {
    const frame = `data: ${JSON.stringify({ event, payload })}\n\n`;
    for (const [res, sessionId] of clients) if (engine.activeAccount(sessionId)) res.write(frame);
  };

  const unsubscribes = (Object.keys(events) as EventName[]).map((event) =>
    engine.on(event, (payload) => broadcast(event, payload)),
  );

  const heartbeat = setInterval(() => {
    for (const res of clients.keys()) res.write(': heartbeat\n\n');
  }, HEARTBEAT_MS);
  // The heartbeat alone must not keep a CLI process alive.
  heartbeat.unref();

  return {
    handle(req, res) {
      if (req.method !== 'GET') {
        res.statusCode = 405;
        res.setHeader('Allow', 'GET');
        res.end();
        return;
      }
      const sessionId = new URL(req.url ?? '/', 'http://localhost').searchParams.get('s');
      if (!engine.activeAccount(sessionId)) {
        sendError(res, 'auth.required');
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
      });
      res.write(`retry: ${RECONNECT_MS}\n\n`);
      clients.set(res, sessionId ?? '');
      const drop = (): void => {
        clients.delete(res);
      };
      req.on('close', drop);
      res.on('close', drop);
    },
    close() {
      clearInterval(heartbeat);
      for (const unsubscribe of unsubscribes) unsubscribe();
      for (const res of clients.keys()) res.end();
      clients.clear();
    },
  };
}
