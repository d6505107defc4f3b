import path from 'node:path';
import { protocol, type Session } from 'electron';
import type { Engine, Logger } from '../core/engineApi';
import { MEDIA_SCHEME } from '../shared/bridge';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './appOrigin';
import { serveAppAsset } from './appAssets';
import { createMediaResponder } from './mediaResponse';

/**
 * Must run before `app.ready`: Electron fixes scheme privileges at startup.
 * - `app:` serves the renderer; `standard` + `secure` give it a real origin and a secure context.
 * - `evidence:` serves media; `stream` lets `<video>` read ranges as it plays, `supportFetchAPI`
 *   and `corsEnabled` let the UI `fetch()` a filmstrip.
 * Neither bypasses CSP.
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true, corsEnabled: true },
    },
  ]);
}

export interface ProtocolOptions {
  engine: Pick<Engine, 'openMedia'>;
  log: Logger;
  /** Folder of the built renderer (`out/renderer`). */
  rendererDir: string;
  csp: string;
}

/** Installs the `app:` and `evidence:` handlers on the session the window uses. */
export function handleProtocols(session: Session, options: ProtocolOptions): void {
  const { engine, log, rendererDir, csp } = options;
  const rootDir = path.resolve(rendererDir);
  session.protocol.handle(APP_SCHEME, (request) => {
    if (new URL(request.url).host !== APP_HOST) return new Response('Not found', { status: 404 });
    return serveAppAsset(rootDir, request, csp);
  });
  session.protocol.handle(MEDIA_SCHEME, createMediaResponder({ engine, log, allowedOrigin: APP_ORIGIN }));
}
