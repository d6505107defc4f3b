import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { enrolCode } from './commands/enrolCode';
import { message, ServerMessageError } from './commands/messages';
import { stationList, stationRevoke } from './commands/station';
import { userAdd } from './commands/userAdd';
import { errorFields, stderrLog } from './log';
import { startServer } from './serve';

/**
 * The central server's entry: `tsx server/index.ts --port N --data DIR` serves; the subcommands
 * manage operators, enrolment codes and stations. Exit status: 0 done, 1 refused or failed (the
 * reason on stderr), 2 wrong arguments.
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(message('usage.bad', { reason: (error as Error).message }));
    console.error(message('usage'));
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(message('usage'));
    return 0;
  }
  if (!values.data) {
    console.error(message('dataDir.missing'));
    console.error(message('usage'));
    return 2;
  }
  const dataDir = resolve(values.data);
  const env = process.env;
  const [command, sub, arg, ...extra] = positionals;
  const usage = (reason: string): number => {
    console.error(message('usage.bad', { reason }));
    console.error(message('usage'));
    return 2;
  };

  if (command === undefined) return serve(dataDir, values.host ?? '127.0.0.1', values.port);
  if (command === 'user') {
    if (sub !== 'add' || !arg || extra.length > 0) return usage('user add NAME');
    await userAdd(dataDir, arg, env);
    return 0;
  }
  if (command === 'enrol-code') {
    if (sub !== undefined) return usage('enrol-code takes no argument');
    await enrolCode(dataDir, env);
    return 0;
  }
  if (command === 'station') {
    if (sub === 'list' && arg === undefined) {
      await stationList(dataDir, values.json ?? false, env);
      return 0;
    }
    if (sub === 'revoke' && arg && extra.length === 0) {
      await stationRevoke(dataDir, arg, env);
      return 0;
    }
    return usage('station list | station revoke STATION_ID');
  }
  return usage(`unknown command ${command}`);
}

/** The port when `--port` is not given; `--port 0` picks a free one (tests). */
const DEFAULT_PORT = 8780;

async function serve(dataDir: string, host: string, portText: string | undefined): Promise<number> {
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || (portText !== undefined && !/^\d+$/.test(portText))) {
    console.error(message('port.invalid'));
    return 2;
  }
  const log = stderrLog();
  const server = await startServer({ dataDir, host, port, env: process.env, log });
  // One write, so a reader that sees the URL line sees the fingerprint with it.
  console.log(
    [
      message('listening', { url: server.url }),
      message('keyFingerprint', { fingerprint: server.services.serverKey.fingerprint }),
    ].join('\n'),
  );
  log.info('server started', { url: server.url, database: server.services.databaseKind, dataDir });
  return new Promise<number>((resolveExit) => {
    const stop = (signal: NodeJS.Signals): void => {
      log.info('stopping', { signal });
      server.close().then(
        () => resolveExit(0),
        (error: unknown) => {
          log.error('stop failed', errorFields(error));
          resolveExit(1);
        },
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Everything is closed by now; should a stray handle keep the loop alive, do not hang a stop.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    if (error instanceof ServerMessageError) {
      console.error(message(error.key, error.params));
    } else {
      console.error(errorFields(error).stack ?? String(error));
    }
    process.exitCode = 1;
  },
);
