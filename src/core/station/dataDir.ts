import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where a station keeps its data unless told otherwise: `--data`, then `STATION_DATA`, then the
 * operating system's place for application data. The desktop app and the CLI agree on it, so
 * both work on the same station.
 */
export function resolveDataDir(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.STATION_DATA) return resolve(env.STATION_DATA);
  switch (process.platform) {
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Evidence Station');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Evidence Station');
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'evidence-station');
  }
}
