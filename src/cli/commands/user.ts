import { Role } from '../../shared/schemas';
import { readPassword } from '../password';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';

/** `user add NAME --role ROLE`: an admin adds an account. */
export async function runUser(
  opts: GlobalOptions,
  args: { sub: string | undefined; name: string | undefined; role: string | undefined },
): Promise<number> {
  if (args.sub !== 'add' || !args.name) throw new UsageError('usage: user add NAME --role reviewer|supervisor|admin');
  const role = Role.safeParse(args.role);
  if (!role.success) throw new UsageError('--role must be reviewer, supervisor or admin');
  const station = await CliStation.open(opts, { runJobs: false });
  try {
    await station.signIn(opts.user);
    const password = await readPassword('STATION_NEW_PASSWORD', `Password for the new account ${args.name}: `);
    const account = await station.call('accounts.create', { name: args.name, password, role: role.data });
    process.stdout.write(opts.json ? `${JSON.stringify(account)}\n` : `Added ${account.name} (${account.role})\n`);
    return 0;
  } finally {
    await station.close();
  }
}
