import type { MethodInput, MethodName, MethodOutput } from '../shared/contract';
import type { Account } from '../shared/schemas';
import type { StationEngine } from '../core/engine';
import { openStationEngine } from '../core/daemon/openStation';
import { RemoteEngine } from '../core/daemon/remoteEngine';
import type { QuarantineDecision, QuarantineResolved } from '../core/store/quarantineResolution';
import { resolveDataDir } from '../core/station/dataDir';
import { readPassword } from './password';
import { UsageError } from './usage';
import { describeError } from './describeError';
import { commandLogger } from './loggers';

export { commandLogger, stderrLogger } from './loggers';

export interface GlobalOptions {
  data: string | undefined;
  user: string | undefined;
  json: boolean;
}

/** An open station and, once signed in, the session every call is made in. */
export class CliStation {
  private sessionId: string | null = null;
  account: Account | null = null;

  private constructor(readonly engine: StationEngine) {}

  /**
   * Works through the engine that owns the station when one runs (the app, `serve`, another
   * command); otherwise opens one in this process for the command, serving it to other processes
   * meanwhile; with `inProcess: false` (`serve`) in a child process, off this process's event
   * loop. `runJobs` and `importRoots` apply only to an engine this command opens.
   */
  static async open(
    opts: GlobalOptions,
    extra: { runJobs?: boolean; inProcess?: boolean; importRoots?: string[] } = {},
  ): Promise<CliStation> {
    const { inProcess = true, ...engineExtra } = extra;
    const engine = await openStationEngine({
      dataDir: resolveDataDir(opts.data),
      log: commandLogger,
      via: 'cli',
      inProcess,
      // The import command starts its workers for its own import; no other command uses them.
      warmImport: false,
      ...engineExtra,
    });
    if (engine instanceof RemoteEngine) {
      // Said on the terminal, not only in the log: the command's work shows up in that engine
      // (the app or `serve`), and its progress and failures depend on that process.
      process.stderr.write(`working through the engine that owns this station (pid ${engine.owner.pid})\n`);
      // The engine this command works through went away (killed, or its app closed): say so and
      // fail, rather than end quietly with whatever was waiting for it.
      engine.onLost((error) => {
        process.stderr.write(`the station engine went away: ${describeError(error)}\n`);
        process.exitCode = 1;
      });
    }
    return new CliStation(engine);
  }

  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
    return this.engine.call(method, input, { sessionId: this.sessionId, via: 'cli' });
  }

  /** Signs in as `--user`, or the only account, or the one admin. */
  async signIn(user: string | undefined): Promise<Account> {
    const status = await this.call('station.status', {});
    if (status.setupRequired) {
      throw new UsageError(
        `this data directory has no accounts yet: run "init --admin NAME" first (${this.engine.dataDir})`,
      );
    }
    const name = user ?? (await this.defaultUser());
    const password = await readPassword('STATION_PASSWORD', `Password for ${name}: `);
    const session = await this.call('auth.signIn', { name, password });
    this.sessionId = session.sessionId;
    this.account = session.account;
    return session.account;
  }

  resolveQuarantine(id: number, decision: QuarantineDecision, note: string): Promise<QuarantineResolved> {
    return this.engine.resolveQuarantine(id, decision, note, { sessionId: this.sessionId, via: 'cli' });
  }

  adoptSession(sessionId: string, account: Account): void {
    this.sessionId = sessionId;
    this.account = account;
  }

  private async defaultUser(): Promise<string> {
    // The account list needs a session; the names are read straight from the engine's database.
    const names = await this.engine.accountNamesForSignIn();
    if (names.length === 1 && names[0]) return names[0].name;
    const admins = names.filter((a) => a.role === 'admin');
    if (admins.length === 1 && admins[0]) return admins[0].name;
    throw new UsageError('several accounts exist: say which with --user NAME');
  }

  close(): Promise<void> {
    return this.engine.close();
  }
}
