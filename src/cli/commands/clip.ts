import { randomBytes } from 'node:crypto';
import type { ClipMode, DerivedEvidence } from '../../shared/reviewSchemas';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

interface ClipArgs {
  item: string | undefined;
  from: string | undefined;
  to: string | undefined;
  mode: string | undefined;
}

/** A time on the command line: seconds, e.g. `5.5`. */
export function parseSeconds(flag: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`--${flag} is required (seconds, e.g. 5.5)`);
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new UsageError(`--${flag} must be a number of seconds, e.g. 5.5 (got "${value}")`);
  }
  return n;
}

/** The `--json` line of a made clip or still: what a script needs to find and check the file. */
export function madeJson(station: CliStation, made: DerivedEvidence): Record<string, unknown> {
  const { item, derivation: d } = made;
  return {
    id: item.id,
    sha256: item.sha256,
    storedPath: station.engine.storedPathOf(item.sha256),
    size: item.size,
    originalName: item.originalName,
    kind: d.kind,
    mode: d.mode,
    from: d.fromSec,
    to: d.toSec,
    durationSec: item.durationSec ?? d.toSec - d.fromSec,
    frameCount: d.frameCount,
    requestedFrom: d.requestedFromSec,
    requestedTo: d.requestedToSec,
    source: d.sourceSha256,
    sourceId: d.sourceItemId,
    createdAt: d.createdAt,
  };
}

/**
 * `clip <item> --from T --to T --mode lossless|exact`: cuts a clip into a new evidence item and
 * prints it. Ctrl-C cancels cleanly (nothing is kept). Exit 0 on success, 1 when the cut failed or
 * was cancelled, 2 on a usage error.
 */
export async function runClip(opts: GlobalOptions, args: ClipArgs): Promise<number> {
  if (!args.item) throw new UsageError('clip needs an item: its id or SHA-256');
  const fromSec = parseSeconds('from', args.from);
  const toSec = parseSeconds('to', args.to);
  if (args.mode !== 'lossless' && args.mode !== 'exact') throw new UsageError('--mode must be lossless or exact');
  const mode: ClipMode = args.mode;
  if (!(toSec > fromSec)) throw new UsageError('--to must come after --from');

  // Thumbnails and filmstrips of the new item are queued; the app or `import --wait` makes them.
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const { id: itemId } = await station.call('items.resolve', { ref: args.item });
    const jobId = `cli-${randomBytes(8).toString('hex')}`;
    const tty = process.stderr.isTTY;
    const off = station.engine.on('clips.progress', (p) => {
      if (tty && p.jobId === jobId) process.stderr.write(`\rcutting ${mode} clip… ${Math.round(p.fraction * 100)}%`);
    });
    const onSignal = (): void => {
      process.stderr.write('\ncancelling the clip…\n');
      void station.call('clips.cancel', { jobId }).catch(() => undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const made = await station.call('clips.create', { jobId, itemId, fromSec, toSec, mode });
      if (tty) process.stderr.write('\n');
      printMade(station, made, opts.json);
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      off();
    }
  } finally {
    await station.close();
  }
}

export function printMade(station: CliStation, made: DerivedEvidence, json: boolean): void {
  const out = madeJson(station, made);
  if (json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const d = made.derivation;
  const what =
    d.kind === 'clip'
      ? `${d.mode} clip ${d.fromSec.toFixed(3)}–${d.toSec.toFixed(3)} s (${d.frameCount} frames)`
      : `still at ${d.fromSec.toFixed(3)} s`;
  process.stdout.write(
    `${what} of ${d.sourceSha256}\n` +
      `item    ${made.item.id}\n` +
      `sha256  ${made.item.sha256}\n` +
      `stored  ${escapeForTerminal(String(out.storedPath))} (read-only)\n`,
  );
}
