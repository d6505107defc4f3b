import { CliStation, type GlobalOptions } from '../context';
import { escapeForTerminal } from '../escapeForTerminal';
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

/**
 * `check [--rehash]`: exit 1 on any disagreement between store, records, custody chain and file
 * modes. It only reads and needs no sign-in; `--repair-modes` (an admin, signed in) first takes
 * group and other permissions off the data directory's files, on the custody record.
 */
export async function runCheck(
  opts: GlobalOptions,
  args: { rehash: boolean; repairModes: boolean; resolveQuarantine?: string | undefined; note?: string | undefined },
): Promise<number> {
  if (args.resolveQuarantine !== undefined) return resolveQuarantined(opts, args.resolveQuarantine, args.note);
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    if (args.repairModes) {
      await station.signIn(opts.user);
      const { repaired } = await station.call('station.repairModes', {});
      for (const path of repaired) process.stderr.write(`repaired mode: ${path}\n`);
    }
    if (args.rehash) process.stderr.write('rehashing every stored file…\n');
    const report = await station.call('station.check', { rehash: args.rehash });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(
        `${report.items} items, ${report.storedFiles} stored files${args.rehash ? `, ${report.rehashed} rehashed` : ''}; custody chain ${report.chain.ok ? 'intact' : `BROKEN at ${report.chain.firstBroken}: ${escapeForTerminal(String(report.chain.problem))}`}\n`,
      );
      for (const p of report.problems) {
        const where = [p.itemId, p.sha256, p.seq === null ? null : `entry ${p.seq}`, p.path].filter((x) => x !== null);
        process.stdout.write(
          `problem: ${p.kind} ${escapeForTerminal(where.join(' '))} ${escapeForTerminal(p.detail)}\n`,
        );
      }
      process.stdout.write(report.ok ? 'check: OK\n' : 'check: PROBLEMS FOUND\n');
    }
    return report.ok ? 0 : 1;
  } finally {
    await station.close();
  }
}
