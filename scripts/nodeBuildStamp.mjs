// The built JavaScript in out/node must never run stale (older than the TypeScript it came from)
// without anyone knowing. The build writes a stamp listing every source it compiled with its size,
// modification time and SHA-256; the launchers (bin/evidence-station.mjs, scripts/server.mjs)
// check it before loading the build, and rebuild first, saying so on stderr, when a source
// changed. The check is a stat per source (a few hundred, about a millisecond); a file whose time
// changed but not its bytes (a git checkout, `touch`) is hashed and still counts as unchanged.
//
// Plain .mjs with only Node's own modules: it runs before anything is compiled, on every start.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = 'out/node';
export const STAMP_FILE = 'build-stamp.json';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** What the stamp records of each source, paths relative to the checkout. */
export async function describeInputs(root, relativePaths) {
  return Promise.all(
    relativePaths.map(async (file) => {
      const full = path.join(root, file);
      const [info, bytes] = await Promise.all([stat(full), readFile(full)]);
      return { path: file, size: info.size, mtimeMs: info.mtimeMs, sha256: sha256(bytes) };
    }),
  );
}

/**
 * Whether out/node was built from the sources as they are now: `{ fresh: true }`, or
 * `{ fresh: false, reason }` naming the first source that differs (or that there is no build).
 */
export function checkNodeBuild(root = repoRoot) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(path.join(root, BUILD_DIR, STAMP_FILE), 'utf8'));
  } catch {
    return { fresh: false, reason: `there is no build in ${BUILD_DIR} yet` };
  }
  if (stamp?.version !== 1 || !Array.isArray(stamp.inputs)) {
    return { fresh: false, reason: `${BUILD_DIR}/${STAMP_FILE} is not a stamp this version writes` };
  }
  for (const input of stamp.inputs) {
    const full = path.join(root, input.path);
    let info;
    try {
      info = statSync(full);
    } catch {
      return { fresh: false, reason: `${input.path} is gone` };
    }
    if (info.size === input.size && info.mtimeMs === input.mtimeMs) continue;
    if (info.size !== input.size || sha256(readFileSync(full)) !== input.sha256) {
      return { fresh: false, reason: `${input.path} changed` };
    }
  }
  return { fresh: true };
}

/**
 * Makes sure out/node matches the sources before a launcher loads it: rebuilds (one line on
 * stderr says why) when it does not; exits with status 1 when the sources do not compile.
 */
export async function ensureNodeBuild(root = repoRoot) {
  const check = checkNodeBuild(root);
  if (check.fresh) return;
  process.stderr.write(`building the station's JavaScript first (${check.reason})…\n`);
  const { buildNode } = await import('./buildNode.mjs');
  try {
    await buildNode({ root, quiet: false });
  } catch {
    process.stderr.write(
      `the build failed (errors above): fix them, or run \`npm run build:node\` to see them again\n`,
    );
    process.exit(1);
  }
}
