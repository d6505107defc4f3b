import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { parseSeconds, printMade } from './clip';

/** `still <item> --at T`: the frame shown at T as a lossless PNG evidence item. Exit 0, 1 on failure, 2 on usage. */
export async function runStill(
  opts: GlobalOptions,
  args: { item: string | undefined; at: string | undefined },
): Promise<number> {
  if (!args.item) throw new UsageError('still needs an item: its id or SHA-256');
  const atSec = parseSeconds('at', args.at);
  // Thumbnails and filmstrips of the new item are queued; the app or `import --wait` makes them.
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const { id: itemId } = await station.call('items.resolve', { ref: args.item });
    const made = await station.call('stills.create', { itemId, atSec });
    printMade(station, made, opts.json);
    return 0;
  } finally {
    await station.close();
  }
}
