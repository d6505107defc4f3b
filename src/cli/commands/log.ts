import type { ChainVerdict } from '../../shared/schemas';
import { verifyCustodyAtRest } from '../../core/custody/verifyAtRest';
import { resolveDataDir } from '../../core/station/dataDir';
import { openStationAtRest } from '../../core/station/stationAtRest';
import type { GlobalOptions } from '../context';
import { commandLogger } from '../loggers';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

const PAGE = 500;

/** The verdict for a person: the first break, then every recorded head problem and the checkpoints. */
function describeVerdict(verdict: ChainVerdict): string {
  const lines = [
    verdict.ok
      ? `custody chain intact: ${verdict.entries} entries`
      : `custody chain BROKEN at entry ${verdict.firstBroken}: ${verdict.problem}`,
  ];
  for (const p of verdict.headProblems ?? []) {
    const range =
      p.firstSeq === null
        ? ''
        : p.lastSeq === p.firstSeq
          ? ` entry ${p.firstSeq}`
          : ` entries ${p.firstSeq}-${p.lastSeq}`;
    const ack = p.acknowledgedAt ? `; acknowledged by ${p.acknowledgedBy} ${p.acknowledgedAt}` : '';
    lines.push(`${p.severity} #${p.id} ${p.kind}${range} (found ${p.detectedAt}${ack})`);
  }
  for (const m of verdict.missingItems ?? []) lines.push(`entry ${m.seq} created item ${m.itemId}, which is gone`);
  const c = verdict.checkpoints;
  if (c) {
    const signatures = c.keyAvailable
      ? `${c.verified} signatures verified`
      : 'signatures not checked (no station key at hand)';
    lines.push(
      `checkpoints: ${c.count}, ${signatures}${c.newestSeq === null ? '' : `, newest covers entries 1-${c.newestSeq}`}`,
    );
    for (const f of c.failures) lines.push(`checkpoint problem at entry ${f.seq}: ${f.problem}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The verdict read straight from a station at rest (no engine runs it, the last one closed it
 * cleanly, the head file agrees with the database): no engine start, so no media tools, no
 * recovery, no migration, and nothing written. Null when the engine must verify instead (see
 * openStationAtRest and verifyCustodyAtRest for when), which the caller then does as before.
 */
async function verifyWithoutEngine(opts: GlobalOptions): Promise<ChainVerdict | null> {
  const station = await openStationAtRest(resolveDataDir(opts.data));
  if (typeof station === 'string') {
    commandLogger.info('log verify opens the engine', { reason: station });
    return null;
  }
  try {
    const verdict = await verifyCustodyAtRest(station);
    if (!verdict) commandLogger.info('log verify opens the engine', { reason: 'recordsFirst' });
    return verdict;
  } finally {
    station.close();
  }
}

/**
 * `log show` prints the custody log (all of it, or one item's); `log verify` checks the chain. Both
 * only read: they need no sign-in and append nothing. `log acknowledge ID` (an admin) acknowledges
 * a recorded chain problem; it stays on the record.
 */
export async function runLog(
  opts: GlobalOptions,
  args: { sub: string | undefined; item: string | undefined; id: string | undefined },
): Promise<number> {
  if (args.sub !== 'show' && args.sub !== 'verify' && args.sub !== 'acknowledge') {
    throw new UsageError('usage: log show [--item ID] | log verify | log acknowledge PROBLEM-ID');
  }
  const problemId = Number(args.id);
  if (args.sub === 'acknowledge' && !(Number.isInteger(problemId) && problemId > 0)) {
    throw new UsageError('usage: log acknowledge PROBLEM-ID (the number log verify shows after #)');
  }
  if (args.sub === 'verify') {
    const verdict = await verifyWithoutEngine(opts);
    if (verdict) {
      process.stdout.write(opts.json ? `${JSON.stringify(verdict)}\n` : describeVerdict(verdict));
      return verdict.ok ? 0 : 1;
    }
  }
  // Loaded only here: the engine and everything it starts with are what the path above avoids.
  const { CliStation } = await import('../context');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    if (args.sub === 'acknowledge') {
      await station.signIn(opts.user);
      const problem = await station.call('custody.acknowledge', { id: problemId });
      process.stdout.write(opts.json ? `${JSON.stringify(problem)}\n` : `acknowledged problem #${problem.id}\n`);
      return 0;
    }
    if (args.sub === 'verify') {
      const verdict = await station.call('custody.verify', {});
      process.stdout.write(opts.json ? `${JSON.stringify(verdict)}\n` : describeVerdict(verdict));
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
