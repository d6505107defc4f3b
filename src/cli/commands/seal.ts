import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

/**
 * `seal <case> [--json]`: re-hashes the case's stored files, freezes the draft as its next version
 * and builds the signed package in the store. `--json` prints `{ case, version, tagManifestSha256, path }`.
 */
export async function runSeal(opts: GlobalOptions, args: { refs: string[] }): Promise<number> {
  const [caseRef, ...extra] = args.refs;
  if (!caseRef || extra.length > 0) throw new UsageError('usage: seal <case> [--json]');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const { id } = await station.call('cases.get', { ref: caseRef });
    const sealed = await station.call('cases.seal', { caseId: id });
    process.stdout.write(
      opts.json
        ? `${JSON.stringify(sealed)}\n`
        : `sealed ${escapeForTerminal(sealed.case)} version ${sealed.version}\ntag manifest SHA-256 ${sealed.tagManifestSha256}\npackage ${escapeForTerminal(sealed.path)}\n`,
    );
    return 0;
  } finally {
    await station.close();
  }
}
