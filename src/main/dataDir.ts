import { resolveDataDir } from '../core/station/dataDir';

export interface DesktopDataDir {
  /** Absolute path of the station's data directory. */
  dataDir: string;
  /** True when `--data` or `STATION_DATA` chose it, false for the operating system's default place. */
  isChosen: boolean;
}

/**
 * Where the desktop app keeps its station: `--data <dir>` (or `--data=<dir>`) on Electron's command
 * line, then `STATION_DATA`, then the same default place as the CLI and the web host
 * (`resolveDataDir` in core), so that the desktop app, `serve` and the CLI work on one station.
 */
export function resolveDesktopDataDir(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DesktopDataDir {
  const fromArgs = readFlag(argv, '--data');
  return {
    dataDir: resolveDataDir(fromArgs, env),
    isChosen: fromArgs !== undefined || Boolean(env.STATION_DATA),
  };
}

function readFlag(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === flag) {
      const next = argv[i + 1];
      return next && !next.startsWith('--') ? next : undefined;
    }
    if (arg?.startsWith(`${flag}=`)) return arg.slice(flag.length + 1) || undefined;
  }
  return undefined;
}
