export const repoRoot: string;
export const BUILD_DIR: string;
export const STAMP_FILE: string;

export type NodeBuildCheck = { fresh: true } | { fresh: false; reason: string };

/** Whether out/node was built from the sources as they are now; see nodeBuildStamp.mjs. */
export function checkNodeBuild(root?: string): NodeBuildCheck;

/** Rebuilds out/node first when it does not match the sources; exits 1 when they do not compile. */
export function ensureNodeBuild(root?: string): Promise<void>;

/** What the stamp records of each source (paths relative to `root`): size, modification time, SHA-256. */
export function describeInputs(
  root: string,
  relativePaths: string[],
): Promise<{ path: string; size: number; mtimeMs: number; sha256: string }[]>;
