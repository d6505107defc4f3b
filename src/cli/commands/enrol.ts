import { groupFingerprint } from '../../core/keys/fingerprint';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

/**
 * `enrol <server-url> <code> [--json]` (admin): registers this station's public key with the
 * central server and pins the server key the one-time code names (PROTOCOL.md). Versions approved
 * before are queued for the next `sync`.
 */
export async function runEnrol(opts: GlobalOptions, args: { refs: string[] }): Promise<number> {
  const [serverUrl, code, ...extra] = args.refs;
  if (!serverUrl || !code || extra.length > 0) throw new UsageError('usage: enrol <server-url> <code> [--json]');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const enrolment = await station.call('sync.enrol', { serverUrl, code });
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(enrolment)}\n`
        : `enrolled with ${escapeForTerminal(enrolment.serverUrl)}\nserver key ${groupFingerprint(enrolment.serverKeyFingerprint)}\n`,
    );
    return 0;
  } finally {
    await station.close();
  }
}
