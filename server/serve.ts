import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { removeAdminFile, writeAdminFile } from './admin/adminFile';
import { ServerMessageError } from './commands/messages';
import { lockDataDir, prepareDataDir, type DataDirLock } from './dataDir';
import { openDatabase, type OpenedDatabase } from './db/open';
import { createRequestHandler } from './http/handler';
import type { Route } from './http/route';
import { refuseKeyMissingForChain, refuseKeyNotTheChains } from './keys/keyOfChain';
import { loadOrCreateServerKey, type ServerKey } from './keys/serverKey';
import { errorFields, type ServerLog } from './log';
import { serverRoutes } from './routes';
import type { ServerServices } from './services';

export interface ServeOptions {
  dataDir: string;
  host: string;
  port: number;
  env: NodeJS.ProcessEnv;
  log: ServerLog;
  /** Routes to answer instead of `serverRoutes()` (tests of a single route). */
  routes?: (services: ServerServices) => Route[];
}

export interface RunningServer {
  url: string;
  services: ServerServices;
  close(): Promise<void>;
}

/** How long open requests may finish after a stop is asked for, before their sockets are cut. */
const SHUTDOWN_GRACE_MS = 5_000;

/**
 * Starts the server: data folder, database (migrated), key, HTTP listener, `DIR/admin.json`.
 * Anything that fails undoes what was done before it and becomes a `ServerMessageError` saying
 * what to fix.
 */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const { dataDir, log, env } = options;
  const undo: Array<() => Promise<void>> = [];
  const unwind = async (): Promise<void> => {
    for (const step of undo.reverse())
      await step().catch((error: unknown) => log.warn('cleanup failed', errorFields(error)));
  };
  try {
    await prepareDataDir(dataDir);
    const usesPglite = !env.DATABASE_URL?.trim();
    let lock: DataDirLock | null = null;
    if (usesPglite) {
      lock = await lockDataDir(dataDir);
      const held = lock;
      undo.push(() => held.release());
    }
    let db: OpenedDatabase;
    try {
      db = await openDatabase(dataDir, env, (error) => log.warn('database connection error', errorFields(error)));
    } catch (error) {
      if (error instanceof ServerMessageError) throw error;
      log.error('database open failed', errorFields(error));
      throw new ServerMessageError('database.failed', { reason: (error as Error).message });
    }
    undo.push(() => db.sql.close());
    await refuseKeyMissingForChain(db.sql, dataDir);
    let serverKey: ServerKey;
    try {
      serverKey = await loadOrCreateServerKey(dataDir);
    } catch (error) {
      throw new ServerMessageError('key.failed', { reason: (error as Error).message });
    }
    await refuseKeyNotTheChains(db.sql, serverKey.fingerprint);
    const services: ServerServices = {
      sql: db.sql,
      databaseKind: db.kind,
      dataDir,
      serverKey,
      clock: () => new Date(),
      log,
      adminToken: randomBytes(32).toString('hex'),
    };
    const routes = options.routes ? options.routes(services) : serverRoutes(services, env);
    undo.push(async () => {
      for (const route of routes) await route.close?.();
    });
    const server = createServer(createRequestHandler(services, routes));
    // Uploads of large files run for as long as the link needs: no limit on a whole request,
    // only on idle sockets and slow headers.
    server.requestTimeout = 0;
    server.headersTimeout = 60_000;
    server.setTimeout(120_000);
    await listen(server, options.host, options.port);
    undo.push(() => closeHttp(server));
    const address = server.address() as AddressInfo;
    const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    await writeAdminFile(dataDir, { pid: process.pid, url, token: services.adminToken });
    undo.push(() => removeAdminFile(dataDir, process.pid));
    let closing: Promise<void> | null = null;
    return {
      url,
      services,
      close: () => (closing ??= unwind()),
    };
  } catch (error) {
    await unwind();
    throw error;
  }
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') reject(new ServerMessageError('port.inUse', { host, port }));
      else if (error.code === 'EACCES') reject(new ServerMessageError('port.denied', { host, port }));
      else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
        reject(new ServerMessageError('host.unavailable', { host }));
      else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops taking connections, lets open requests finish for a grace period, then cuts the rest. */
function closeHttp(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
