import { CliStation, type GlobalOptions } from '../context';
import { escapeForTerminal } from '../escapeForTerminal';

/** `check [--rehash]`: exit 1 on any disagreement between store, database and custody chain. */
export async function runCheck(opts: GlobalOptions, args: { rehash: boolean }): Promise<number> {
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const report = await station.engine.check({
      rehash: args.rehash,
      onProgress: args.rehash ? (done, total) => process.stderr.write(`\rrehashing ${done + 1}/${total}`) : undefined,
    });
    if (args.rehash) process.stderr.write('\n');
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(
        `${report.items} items, ${report.storedFiles} stored files${args.rehash ? `, ${report.rehashed} rehashed` : ''}; custody chain ${report.chain.ok ? 'intact' : `BROKEN at ${report.chain.firstBroken}: ${escapeForTerminal(String(report.chain.problem))}`}\n`,
      );
      for (const p of report.problems)
        process.stdout.write(`problem: ${p.kind} ${p.itemId ?? ''} ${p.sha256 ?? ''} ${escapeForTerminal(p.detail)}\n`);
      process.stdout.write(report.ok ? 'check: OK\n' : 'check: PROBLEMS FOUND\n');
    }
    return report.ok ? 0 : 1;
  } finally {
    await station.close();
  }
}
