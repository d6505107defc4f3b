import { resolve } from 'node:path';
import type { QuarantineDecision } from '../../core/store/quarantineResolution';
import { CliStation, type GlobalOptions } from '../context';
import { escapeForTerminal } from '../escapeForTerminal';
import { UsageError } from '../usage';

interface ResolveArgs {
  resolveQuarantine: string;
  adopt: boolean;
  keep: boolean;
  releaseTo?: string | undefined;
  note?: string | undefined;
}

function decisionOf(args: ResolveArgs): QuarantineDecision {
  const chosen = [args.adopt, args.keep, args.releaseTo !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError('--resolve-quarantine needs one of --adopt, --release-to DIR or --keep');
  if (args.adopt) return { action: 'adopt' };
  if (args.keep) return { action: 'keep' };
  return { action: 'release', to: resolve(args.releaseTo!) };
}

/**
 * `check --resolve-quarantine N --note TEXT (--adopt | --release-to DIR | --keep)`: an admin's
 * decision on a file recovery moved to `quarantine/`, carried out (see store/quarantineResolution)
 * and put on the custody log with who decided and why.
 */
async function resolveQuarantined(opts: GlobalOptions, args: ResolveArgs): Promise<number> {
  const number = Number(args.resolveQuarantine);
  if (!Number.isInteger(number) || number <= 0)
    throw new UsageError('--resolve-quarantine needs the number check lists');
  const note = args.note?.trim();
  if (!note) throw new UsageError('--resolve-quarantine needs --note saying what was decided');
  const decision = decisionOf(args);
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const done = await station.resolveQuarantine(number, decision, note);
    if (!done.resolved) {
      process.stdout.write(`no unresolved quarantined file #${number}\n`);
      return 1;
    }
    const where = done.releasedTo ? ` to ${escapeForTerminal(done.releasedTo)}` : '';
    process.stdout.write(`quarantined file #${number} ${done.outcome}${where}\n`);
    return 0;
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
  args: { rehash: boolean; repairModes: boolean } & Omit<ResolveArgs, 'resolveQuarantine'> & {
      resolveQuarantine?: string | undefined;
    },
): Promise<number> {
  if (args.resolveQuarantine !== undefined)
    return resolveQuarantined(opts, { ...args, resolveQuarantine: args.resolveQuarantine });
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
        const parts = [p.kind, ...(where.length > 0 ? [where.join(' ')] : []), p.detail];
        process.stdout.write(`problem: ${escapeForTerminal(parts.join(' '))}\n`);
      }
      process.stdout.write(report.ok ? 'check: OK\n' : 'check: PROBLEMS FOUND\n');
    }
    return report.ok ? 0 : 1;
  } finally {
    await station.close();
  }
}
