import { isAbsolute, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startWebHost } from '../../web/server';
import { RemoteEngine } from '../../core/daemon/remoteEngine';
import { CliStation, stderrLogger, type GlobalOptions } from '../context';
import { UsageError } from '../usage';

// out/web from this module: three levels up from the source (src/cli/commands), one from the build (out/node).
const DEFAULT_STATIC_DIR = resolve(
  fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../../out/web' : '../web', import.meta.url)),
);

/**
 * `serve [--port N] [--import-root DIR]…`: the station's UI and contract on 127.0.0.1. The first
 * line on stdout is the address with a one-time token, and each line read on stdin (Enter) prints
 * another such address on stdout; everything else goes to stderr.
 * Each `--import-root` is a folder the browser may import from besides removable volumes, home
 * and the admin's allowed folders: the OS user who starts the host grants it. Runs until
 * SIGINT/SIGTERM.
 */
export async function runServe(
  opts: GlobalOptions,
  args: { port: string | undefined; importRoots: string[] },
): Promise<number> {
  const port = args.port === undefined ? 0 : Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError('--port must be a number from 0 to 65535');
  const notAbsolute = args.importRoots.find((p) => !isAbsolute(p));
  if (notAbsolute !== undefined) throw new UsageError(`--import-root must be an absolute path: ${notAbsolute}`);
  // The engine runs in its own process (or is the one already open on this station), so SQLite
  // and every synchronous commit stay off the event loop that answers the browser.
  const station = await CliStation.open(opts, { importRoots: args.importRoots, inProcess: false });
  const host = await startWebHost({
    engine: station.engine,
    port,
    staticDir: process.env.STATION_WEB_DIR ?? DEFAULT_STATIC_DIR,
    log: stderrLogger,
  });
  process.stdout.write(`${host.url}\n`);
  stderrLogger.info('web host ready', { dataDir: station.engine.dataDir, port: host.port });
  // Each address opens the station once: Enter (a line on stdin) prints another, for another
  // browser or after the first one lost its cookie.
  const lines = createInterface({ input: process.stdin, terminal: false });
  lines.on('line', () => process.stdout.write(`${host.newLink()}\n`));
  let lost = false;
  await new Promise<void>((resolveStop) => {
    const stop = (): void => resolveStop();
    // `on`, not `once`: a process group stop can deliver a signal twice (tsx relays it too), and a
    // second one with no handler would end this host before its engine has closed.
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // An engine that dies under the web host leaves nothing to serve: stop, and say why.
    if (station.engine instanceof RemoteEngine)
      station.engine.onLost((error) => {
        stderrLogger.error('the station engine went away', { reason: String(error.params.reason ?? '') });
        lost = true;
        stop();
      });
  });
  lines.close();
  process.stdin.destroy();
  await host.close();
  await station.close();
  return lost ? 1 : 0;
}
