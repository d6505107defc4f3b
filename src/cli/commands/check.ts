import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';

/**
 * `check --resolve-quarantine N --note TEXT`: an admin's decision on a file recovery moved to
 * `quarantine/` (the file stays there; the decision and who made it go on the custody log).
 */
async function resolveQuarantined(opts: GlobalOptions, id: string, note: string | undefined): Promise<number> {
  const number = Number(id);
  if (!Number.isInteger(number) || number <= 0)
    throw new UsageError('--resolve-quarantine needs the number check lists');
  if (!note?.trim()) throw new UsageError('--resolve-quarantine needs --note saying what was decided');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const { resolved } = await station.resolveQuarantine(number, note.trim());
    process.stdout.write(
      resolved ? `quarantined file #${number} resolved\n` : `no unresolved quarantined file #${number}\n`,
    );
    return resolved ? 0 : 1;
  } finally {
    await station.close();
  }
}

/** `check [--rehash]`: exit 1 on any disagreement between store, database and custody chain. */
export async function runCheck(
  opts: GlobalOptions,
  args: { rehash: boolean; resolveQuarantine?: string | undefined; note?: string | undefined },
): Promise<number> {
  if (args.resolveQuarantine !== undefined) return resolveQuarantined(opts, args.resolveQuarantine, args.note);
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
        `${report.items} items, ${report.storedFiles} stored files${args.rehash ? `, ${report.rehashed} rehashed` : ''}; custody chain ${report.chain.ok ? 'intact' : `BROKEN at ${report.chain.firstBroken}: ${report.chain.problem}`}\n`,
      );
      for (const p of report.problems)
        process.stdout.write(`problem: ${p.kind} ${p.itemId ?? ''} ${p.sha256 ?? ''} ${p.detail}\n`);
      process.stdout.write(report.ok ? 'check: OK\n' : 'check: PROBLEMS FOUND\n');
    }
    return report.ok ? 0 : 1;
  } finally {
    await station.close();
  }
}
