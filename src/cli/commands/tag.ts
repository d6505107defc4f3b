import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { parseSeconds } from './clip';
import { escapeForTerminal } from '../escapeForTerminal';

interface TagArgs {
  item: string | undefined;
  type: string | undefined;
  from: string | undefined;
  to: string | undefined;
  note: string | undefined;
}

/**
 * `tag <item> --type CODE [--from T --to T] [--note …]`: tags a range of a recording, or the whole
 * item without a range, with a type of the latest violation catalogue.
 */
export async function runTag(opts: GlobalOptions, args: TagArgs): Promise<number> {
  if (!args.item) throw new UsageError('tag needs an item: its id or SHA-256');
  if (!args.type) throw new UsageError('--type CODE is required (see "taxonomy list")');
  if ((args.from === undefined) !== (args.to === undefined)) {
    throw new UsageError('give both --from and --to for a range, or neither to tag the whole item');
  }
  const range =
    args.from === undefined ? {} : { fromSec: parseSeconds('from', args.from), toSec: parseSeconds('to', args.to) };
  if (range.fromSec !== undefined && !(range.toSec! > range.fromSec)) {
    throw new UsageError('--to must come after --from');
  }
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const { id: itemId } = await station.call('items.resolve', { ref: args.item });
    const tag = await station.call('tags.add', { itemId, code: args.type, note: args.note ?? '', ...range });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(tag, null, 2)}\n`);
      return 0;
    }
    const where = tag.fromSec === null ? 'whole item' : `${tag.fromSec}–${tag.toSec} s`;
    const name = escapeForTerminal(`${tag.code} ${tag.nameZh} ${tag.nameEn}`);
    process.stdout.write(`tagged ${itemId} (${where}): ${name}\ntag     ${tag.id}\n`);
    return 0;
  } finally {
    await station.close();
  }
}
