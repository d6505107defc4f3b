import { SYNC_PROBLEM_MESSAGES } from '../../shared/i18n/messages';
import type { SyncSummary } from '../../shared/syncSchemas';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

/**
 * `sync [--once] [--json]`: sends the queued case versions to the central server and keeps the
 * receipts. `--once`: one pass (backoffs set aside), exit 0 when every queued version is synced, 1
 * otherwise. Without it, passes follow each other, waiting out each retry, until nothing is left
 * waiting (exit 0 when all are synced, 1 when the server refused one). `--json` prints one line
 * per version: `{ case, version, state, receipt, filesSent, bytesSent, … }`.
 */

function describe(s: SyncSummary): string {
  const name = `${escapeForTerminal(s.case)} v${s.version}`;
  const sent = `${s.filesSent} files, ${s.bytesSent} bytes sent`;
  if (s.state === 'synced' && s.receipt)
    return `${name}: synced, receipt ${s.receipt.seq} at ${escapeForTerminal(s.receipt.receivedAt)} (${sent})`;
  if (s.state === 'refused') return `${name}: REFUSED by the server: ${escapeForTerminal(s.refusedReason ?? '')}`;
  const why = s.lastProblem
    ? `: ${SYNC_PROBLEM_MESSAGES.en[s.lastProblem.code]}${s.lastProblem.detail ? ` (${escapeForTerminal(s.lastProblem.detail)})` : ''}`
    : '';
  return `${name}: ${s.state}${why} (${sent})`;
}

const settled = (list: SyncSummary[]): boolean => list.every((s) => s.state === 'synced' || s.state === 'refused');

export async function runSync(opts: GlobalOptions, args: { refs: string[]; once: boolean }): Promise<number> {
  if (args.refs.length > 0) throw new UsageError('usage: sync [--once] [--json]');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    let list = await station.call('sync.now', { wait: true });
    while (!args.once && !settled(list)) {
      const status = await station.call('sync.status', {});
      const waits = status.versions
        .filter((v) => v.state !== 'synced' && v.state !== 'refused' && v.nextAttemptAt)
        .map((v) => new Date(v.nextAttemptAt!).getTime());
      const until = waits.length > 0 ? Math.min(...waits) : Date.now();
      if (!opts.json) for (const s of list) if (s.state !== 'synced') process.stderr.write(`${describe(s)}\n`);
      await new Promise((r) => setTimeout(r, Math.max(0, until - Date.now())));
      list = await station.call('sync.now', { wait: true });
    }
    if (opts.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0) process.stdout.write('nothing is queued for the central server\n');
    else for (const s of list) process.stdout.write(`${describe(s)}\n`);
    return list.every((s) => s.state === 'synced') ? 0 : 1;
  } finally {
    await station.close();
  }
}
