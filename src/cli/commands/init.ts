import { readPassword } from '../password';
import { CliStation, type GlobalOptions } from '../context';
import { escapeForTerminal } from '../escapeForTerminal';
import { UsageError } from '../usage';

/** `init --admin NAME`: creates the data directory and its first (admin) account. */
export async function runInit(opts: GlobalOptions, args: { admin: string | undefined }): Promise<number> {
  if (!args.admin) throw new UsageError('init needs --admin NAME');
  const password = await readPassword('STATION_PASSWORD', `Password for ${args.admin}: `);
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    const session = await station.call('auth.setupAdmin', { name: args.admin, password });
    station.adoptSession(session.sessionId, session.account);
    const key = await station.call('station.key', {});
    const out = {
      dataDir: station.engine.dataDir,
      admin: session.account.name,
      keyFingerprint: key.fingerprint,
      keyProtection: key.protection,
    };
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(out)}\n`
        : `Station ready in ${escapeForTerminal(out.dataDir)}; admin: ${escapeForTerminal(out.admin)}\nStation key fingerprint: ${key.fingerprintGrouped} (protected by ${key.protection})\n`,
    );
    return 0;
  } finally {
    await station.close();
  }
}
