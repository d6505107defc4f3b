import type { BatchItemResult, TimeScope } from '../../shared/batchSchemas';
import { parseShift } from '../../core/library/clockCorrection';
import { CliStation, type GlobalOptions } from '../context';
import { escapeForTerminal } from '../escapeForTerminal';
import { UsageError } from '../usage';

interface TimeCorrectArgs {
  items: string[];
  importId: string | undefined;
  device: string | undefined;
  offset: string | undefined;
  zone: string | undefined;
  reason: string | undefined;
}

/** What each outcome is called on the terminal. */
const OUTCOME_WORDS: Record<BatchItemResult['outcome'], string> = {
  done: 'corrected',
  notFound: 'not found',
  alreadyInCase: 'already in case',
  alreadyTagged: 'already tagged',
  noRecordedTime: 'no recorded time',
  derivedTime: 'clip/still: follows its recording',
  unchanged: 'unchanged',
};

/**
 * `time-correct (--import ID | --device ID | <item…>) --offset SHIFT [--zone ±HH:MM] --reason TEXT`:
 * a camera clock's correction on every item of an import or device, or on the items named. The
 * shift is added to the camera's reading (`-3m12s` for a clock that ran 3 min 12 s fast).
 */
export async function runTimeCorrect(opts: GlobalOptions, args: TimeCorrectArgs): Promise<number> {
  const scopes = [args.items.length > 0, args.importId !== undefined, args.device !== undefined].filter(Boolean);
  if (scopes.length !== 1) throw new UsageError('give exactly one of --import ID, --device ID or item ids');
  if (args.offset === undefined)
    throw new UsageError('--offset is required, e.g. --offset -3m12s (0 to set only --zone)');
  const shiftSec = parseShift(args.offset);
  if (shiftSec === null) throw new UsageError('--offset: write it as -3m12s, +1h, -192 (seconds) or -00:03:12');
  if (!args.reason?.trim()) throw new UsageError('--reason is required: why the clock was wrong');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    let scope: TimeScope;
    if (args.importId !== undefined) scope = { by: 'import', importId: args.importId };
    else if (args.device !== undefined) scope = { by: 'device', deviceId: args.device };
    else {
      const itemIds: string[] = [];
      for (const ref of args.items) itemIds.push((await station.call('items.resolve', { ref })).id);
      scope = { by: 'items', itemIds };
    }
    const out = await station.call('batch.correctTime', {
      scope,
      shiftSec,
      ...(args.zone === undefined ? {} : { zone: args.zone }),
      reason: args.reason,
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    for (const r of out.results) {
      const times = r.outcome === 'done' ? `  ${r.previous ?? '—'} → ${r.recordedAt ?? '—'}` : '';
      const name = escapeForTerminal(r.name ?? r.itemId);
      process.stdout.write(`${OUTCOME_WORDS[r.outcome].padEnd(18)} ${name}${times}\n`);
    }
    process.stdout.write(`${out.done} of ${out.results.length} corrected (batch ${out.batchId})\n`);
    return 0;
  } finally {
    await station.close();
  }
}
