import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';
import { escapeForTerminal } from '../escapeForTerminal';

/** `taxonomy list`: the violation types of the latest catalogue version, retired ones marked. */
export async function runTaxonomy(opts: GlobalOptions, args: { sub: string | undefined }): Promise<number> {
  if (args.sub !== 'list') throw new UsageError('usage: taxonomy list [--json]');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const taxonomy = await station.call('taxonomy.get', {});
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(taxonomy, null, 2)}\n`);
      return 0;
    }
    process.stdout.write(
      `violation catalogue version ${taxonomy.version} (${taxonomy.createdAt}, ${escapeForTerminal(taxonomy.createdBy)})\n`,
    );
    const width = Math.max(...taxonomy.types.map((t) => t.code.length));
    for (const t of taxonomy.types) {
      const retired = t.retired ? '  [retired]' : '';
      process.stdout.write(escapeForTerminal(`${t.code.padEnd(width)}  ${t.nameZh}  ${t.nameEn}`) + `${retired}\n`);
    }
    return 0;
  } finally {
    await station.close();
  }
}
