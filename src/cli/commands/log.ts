import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

const PAGE = 500;

/** `log show` prints the custody log (all of it, or one item's); `log verify` checks the chain. */
export async function runLog(
  opts: GlobalOptions,
  args: { sub: string | undefined; item: string | undefined },
): Promise<number> {
  if (args.sub !== 'show' && args.sub !== 'verify') throw new UsageError('usage: log show [--item ID] | log verify');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    if (args.sub === 'verify') {
      const verdict = await station.call('custody.verify', {});
      if (opts.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
      else
        process.stdout.write(
          verdict.ok
            ? `custody chain intact: ${verdict.entries} entries\n`
            : `custody chain BROKEN at entry ${verdict.firstBroken}: ${verdict.problem}\n`,
        );
      return verdict.ok ? 0 : 1;
    }
    const entries = [];
    for (let offset = 0; ; offset += PAGE) {
      const page = await station.call('custody.list', { subject: args.item, offset, limit: PAGE });
      entries.push(...page.entries);
      if (offset + PAGE >= page.total) break;
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else
      for (const e of entries) {
        process.stdout.write(
          `${String(e.seq).padStart(6)}  ${e.at}  ${escapeForTerminal(e.actor).padEnd(12)} ${e.action.padEnd(18)} ${escapeForTerminal(e.subject ?? '')}\n`,
        );
      }
    return 0;
  } finally {
    await station.close();
  }
}
