import path from 'node:path';

/**
 * Where the station keeps its database and evidence store: `--data <dir>` (or `--data=<dir>`) on
 * the command line, then `STATION_DATA`, then `<userData>/station`. Tests and `npm start -- --data`
 * use the first two so that a run never touches a real station's data.
 */
export function resolveDataDir(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  userDataDir: string,
  cwd: string,
): string {
  const fromArgs = readFlag(argv, '--data');
  const chosen = fromArgs ?? (env.STATION_DATA || undefined);
  return chosen ? path.resolve(cwd, chosen) : path.join(userDataDir, 'station');
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
