import { OfficerNumber, Role, type Account } from '../../shared/schemas';
import { readPassword } from '../password';
import { CliStation, type GlobalOptions } from '../context';
import { UsageError } from '../usage';

const USER_USAGE = [
  'usage: user add NAME --role reviewer|supervisor|admin [--officer NO]',
  '       user list | disable NAME | enable NAME | role NAME --role ROLE | reset NAME | unlock NAME',
  '       user end-sessions NAME | officer NAME --officer NO | passwd',
].join('\n');

export interface UserArgs {
  sub: string | undefined;
  name: string | undefined;
  role: string | undefined;
  officer: string | undefined;
}

function parseRole(value: string | undefined): Role {
  const role = Role.safeParse(value);
  if (!role.success) throw new UsageError('--role must be reviewer, supervisor or admin');
  return role.data;
}

function parseOfficer(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const officer = OfficerNumber.safeParse(value);
  if (!officer.success) throw new UsageError('--officer must be letters, digits or dashes (at most 32)');
  return officer.data;
}

function describeAccount(a: Account): string {
  const officer = a.officerNumber ? ` 警号 ${a.officerNumber}` : '';
  const flags = [
    a.disabled ? 'disabled' : null,
    a.lockedOut ? 'locked out' : null,
    a.mustChangePassword ? 'must change password' : null,
  ]
    .filter((f) => f !== null)
    .join(', ');
  return `${a.name} (${a.role})${officer}${flags ? ` [${flags}]` : ''}`;
}

/**
 * `user …`: an admin manages accounts; `user passwd` changes the signed-in account's own password
 * (the current one from STATION_PASSWORD, the new one from STATION_NEW_PASSWORD, or prompts).
 */
export async function runUser(opts: GlobalOptions, args: UserArgs): Promise<number> {
  const needsName = args.sub !== undefined && !['list', 'passwd'].includes(args.sub);
  if (!args.sub || (needsName && !args.name)) throw new UsageError(USER_USAGE);
  const name = args.name ?? '';
  const officer = parseOfficer(args.officer);
  const role = args.sub === 'add' || args.sub === 'role' ? parseRole(args.role) : undefined;
  if (args.sub === 'officer' && args.officer === undefined) throw new UsageError(USER_USAGE);

  const station = await CliStation.open(opts, { runJobs: false });
  const print = (text: string, json: unknown): void => {
    process.stdout.write(opts.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  };
  try {
    if (args.sub === 'passwd') return await changeOwnPassword(station, opts, print);
    await station.signIn(opts.user);
    switch (args.sub) {
      case 'add': {
        const password = await readPassword('STATION_NEW_PASSWORD', `Password for the new account ${name}: `);
        // A password given here is the account's own (the admin hands it over in person): no forced change.
        const account = await station.call('accounts.create', {
          name,
          password,
          role: role!,
          ...(officer ? { officerNumber: officer } : {}),
        });
        print(`Added ${describeAccount(account)}`, account);
        return 0;
      }
      case 'list': {
        const accounts = await station.call('accounts.list', {});
        print(accounts.map(describeAccount).join('\n'), accounts);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const account = await station.call('accounts.setDisabled', { name, disabled: args.sub === 'disable' });
        print(`${args.sub === 'disable' ? 'Disabled' : 'Enabled'} ${describeAccount(account)}`, account);
        return 0;
      }
      case 'role': {
        const account = await station.call('accounts.setRole', { name, role: role! });
        print(`Role of ${describeAccount(account)} set; its sessions ended`, account);
        return 0;
      }
      case 'officer': {
        const account = await station.call('accounts.setOfficerNumber', { name, officerNumber: officer ?? null });
        print(`Officer number of ${describeAccount(account)} set`, account);
        return 0;
      }
      case 'reset': {
        // STATION_NEW_PASSWORD gives the temporary password; without it the station makes one.
        const given = process.env['STATION_NEW_PASSWORD'];
        const result = await station.call('accounts.resetPassword', { name, ...(given ? { password: given } : {}) });
        const shown = result.temporaryPassword
          ? `Temporary password for ${name}: ${result.temporaryPassword}`
          : `Password of ${name} reset to the one given`;
        print(`${shown}\n${name} must choose a new password at the next sign-in.`, result);
        return 0;
      }
      case 'unlock': {
        const account = await station.call('accounts.liftLockout', { name });
        print(`Lockout of ${describeAccount(account)} lifted`, account);
        return 0;
      }
      case 'end-sessions': {
        const result = await station.call('accounts.endSessions', { name });
        print(`Ended ${result.ended} session(s) of ${name} in this process; others end at their next call`, result);
        return 0;
      }
      default:
        throw new UsageError(USER_USAGE);
    }
  } finally {
    await station.close();
  }
}

/** Signs in with the new password in the same step, so an account whose password was reset can use it too. */
async function changeOwnPassword(
  station: CliStation,
  opts: GlobalOptions,
  print: (text: string, json: unknown) => void,
): Promise<number> {
  const names = await station.engine.accountNamesForSignIn();
  const admins = names.filter((a) => a.role === 'admin');
  const name = opts.user ?? (names.length === 1 ? names[0]?.name : admins.length === 1 ? admins[0]?.name : undefined);
  if (!name) throw new UsageError('several accounts exist: say which with --user NAME');
  const password = await readPassword('STATION_PASSWORD', `Current password for ${name}: `);
  const newPassword = await readPassword('STATION_NEW_PASSWORD', `New password for ${name}: `);
  const session = await station.call('auth.signIn', { name, password, newPassword });
  station.adoptSession(session.sessionId, session.account);
  print(`Password of ${name} changed`, { ok: true });
  return 0;
}
