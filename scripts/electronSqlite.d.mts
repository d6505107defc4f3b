/** What names one Electron build of better-sqlite3; every field changes the binary. */
export interface ElectronSqliteKey {
  sqliteVersion: string;
  electronVersion: string;
  abi: string;
  platform: string;
  arch: string;
}

export interface SqliteBuildStep {
  label: 'prebuild-install' | 'node-gyp';
  command: string;
  args: string[];
  cwd: string;
}

export type ElectronSqliteBinding =
  { ok: true; path: string; built: boolean } | { ok: false; reason: string; logFile?: string };

/** `out/native/better-sqlite3-<v>-electron-<v>-abi<n>-<platform>-<arch>`; see electronSqlite.mjs. */
export function electronSqliteCacheDir(root: string, key: ElectronSqliteKey): string;
export function electronSqliteBindingPath(root: string, key: ElectronSqliteKey): string;
/** node-gyp's `--dist-url` from a headers tarball address, or null. */
export function distUrlFromHeadersUrl(headersUrl: string | undefined | null): string | null;
/** prebuild-install first, then node-gyp against Electron's headers when both are known. */
export function planSqliteBuildSteps(input: {
  target: { electronVersion: string; platform: string; arch: string };
  workDir: string;
  nodePath: string;
  prebuildInstallCli: string | null;
  nodeGypCli: string | null;
  distUrl: string | null;
}): SqliteBuildStep[];
/** The cached Electron build, or one built now; never throws. */
export function ensureElectronSqliteBinding(options: {
  root: string;
  electronPath: string;
  env?: Record<string, string | undefined>;
  onBuildStart?: (message: string) => void;
}): Promise<ElectronSqliteBinding>;
