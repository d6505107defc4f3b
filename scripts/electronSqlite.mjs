// better-sqlite3 for Electron, kept BESIDE the Node build instead of replacing it: node_modules
// holds the build for Node (tests, CLI, web host), and rebuilding it in place for Electron's ABI
// would break all of those. The Electron build lives in out/native/<key>/better_sqlite3.node and
// reaches the main process through STATION_SQLITE_BINDING (better-sqlite3's `nativeBinding`).
//
// No host name is written here: prebuild-install downloads from the release page named in
// better-sqlite3's own package.json, and node-gyp takes the headers address from the Electron
// binary itself (`process.release.headersUrl`) or from npm's `disturl` setting.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const BINDING_FILE = 'better_sqlite3.node';
/** The folders of the better-sqlite3 package that a source build needs (its own build/ is left behind). */
const SOURCE_ENTRIES = ['package.json', 'binding.gyp', 'src', 'deps'];
const PROBE_TIMEOUT_MS = 30_000;

/**
 * The cache folder of one Electron build of better-sqlite3. Every input that changes the binary is
 * in the name, so an upgrade of Electron or better-sqlite3 builds anew instead of loading a stale file.
 *
 * @param {string} root the project folder
 * @param {{ sqliteVersion: string, electronVersion: string, abi: string, platform: string, arch: string }} key
 */
export function electronSqliteCacheDir(root, key) {
  const name = `better-sqlite3-${key.sqliteVersion}-electron-${key.electronVersion}-abi${key.abi}-${key.platform}-${key.arch}`;
  return path.join(root, 'out', 'native', name);
}

/** @param {Parameters<typeof electronSqliteCacheDir>[0]} root @param {Parameters<typeof electronSqliteCacheDir>[1]} key */
export function electronSqliteBindingPath(root, key) {
  return path.join(electronSqliteCacheDir(root, key), BINDING_FILE);
}

/**
 * node-gyp's `--dist-url` from a headers tarball address: the folder above `v<version>/`, to which
 * node-gyp appends `v<target>/node-v<target>-headers.tar.gz` itself. Null when there is no usable address.
 *
 * @param {string | undefined | null} headersUrl
 * @returns {string | null}
 */
export function distUrlFromHeadersUrl(headersUrl) {
  if (!headersUrl) return null;
  try {
    const url = new URL('../', headersUrl);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href.replace(/\/+$/, '') : null;
  } catch {
    return null;
  }
}

/**
 * The ways to get the binary, in the order they are tried: a prebuilt download first (seconds, no
 * compiler needed), then a source build against Electron's headers when node-gyp and a headers
 * address are known. Every step runs in `workDir` (a copy of the package) and leaves
 * `build/Release/better_sqlite3.node` there.
 *
 * @param {{
 *   target: { electronVersion: string, platform: string, arch: string },
 *   workDir: string,
 *   nodePath: string,
 *   prebuildInstallCli: string | null,
 *   nodeGypCli: string | null,
 *   distUrl: string | null,
 * }} input
 * @returns {{ label: string, command: string, args: string[], cwd: string }[]}
 */
export function planSqliteBuildSteps({ target, workDir, nodePath, prebuildInstallCli, nodeGypCli, distUrl }) {
  const steps = [];
  if (prebuildInstallCli) {
    steps.push({
      label: 'prebuild-install',
      command: nodePath,
      args: [
        prebuildInstallCli,
        '--runtime',
        'electron',
        '--target',
        target.electronVersion,
        '--platform',
        target.platform,
        '--arch',
        target.arch,
        '--verbose',
      ],
      cwd: workDir,
    });
  }
  if (nodeGypCli && distUrl) {
    steps.push({
      label: 'node-gyp',
      command: nodePath,
      args: [
        nodeGypCli,
        'rebuild',
        '--release',
        `--target=${target.electronVersion}`,
        `--arch=${target.arch}`,
        `--dist-url=${distUrl}`,
        `--directory=${workDir}`,
      ],
      cwd: workDir,
    });
  }
  return steps;
}

/**
 * What `npm start` needs before it launches Electron: the path of a better-sqlite3 binary built for
 * this Electron, from the cache or built once now. Never throws; a failure carries one line of
 * reason and the log file with the tools' full output.
 *
 * @param {{ root: string, electronPath: string, env?: NodeJS.ProcessEnv, onBuildStart?: (message: string) => void }} options
 * @returns {Promise<{ ok: true, path: string, built: boolean } | { ok: false, reason: string, logFile?: string }>}
 */
export async function ensureElectronSqliteBinding({ root, electronPath, env = process.env, onBuildStart }) {
  let sqliteDir;
  try {
    sqliteDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('better-sqlite3/package.json'));
  } catch {
    return { ok: false, reason: 'better-sqlite3 is not installed' };
  }
  const sqliteVersion = readJson(path.join(sqliteDir, 'package.json')).version;
  const target = await readElectronTarget(root, electronPath, env);
  if (!target) return { ok: false, reason: `could not read the version of Electron at ${electronPath}` };

  const key = { sqliteVersion, ...target };
  const cacheDir = electronSqliteCacheDir(root, key);
  const bindingPath = path.join(cacheDir, BINDING_FILE);
  if (existsSync(bindingPath)) return { ok: true, path: bindingPath, built: false };

  await mkdir(path.dirname(cacheDir), { recursive: true });
  const logFile = `${cacheDir}.log`;
  onBuildStart?.(
    `Getting better-sqlite3 ${sqliteVersion} for Electron ${target.electronVersion} (first start only; log: ${path.relative(root, logFile)})`,
  );
  const workRoot = await mkdtemp(`${cacheDir}.tmp-`);
  const logFd = openSync(logFile, 'w');
  try {
    const workDir = path.join(workRoot, 'better-sqlite3');
    await copySources(sqliteDir, workDir);
    const steps = planSqliteBuildSteps({
      target,
      workDir,
      nodePath: process.execPath,
      prebuildInstallCli: resolveFrom(sqliteDir, 'prebuild-install/bin.js'),
      nodeGypCli: locateNodeGyp(root, env),
      distUrl: env.npm_config_disturl || distUrlFromHeadersUrl(target.headersUrl),
    });
    if (steps.length === 0) return { ok: false, reason: 'neither prebuild-install nor node-gyp is available', logFile };

    const built = path.join(workDir, 'build', 'Release', BINDING_FILE);
    const failures = [];
    for (const step of steps) {
      const code = await runLogged(step, logFd, buildEnv(env));
      if (code === 0 && existsSync(built) && (await loadsInElectron(electronPath, built, env, logFd))) {
        await mkdir(cacheDir, { recursive: true });
        // Copy then rename: a half-copied file must never look like a finished cache entry.
        await copyFile(built, `${bindingPath}.partial`);
        await rename(`${bindingPath}.partial`, bindingPath);
        return { ok: true, path: bindingPath, built: true };
      }
      failures.push(`${step.label} failed`);
      await rm(path.join(workDir, 'build'), { recursive: true, force: true });
    }
    if (!steps.some((step) => step.label === 'node-gyp')) {
      failures.push('no source build: node-gyp or headers address missing');
    }
    return { ok: false, reason: failures.join('; '), logFile };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error), logFile };
  } finally {
    closeSync(logFd);
    await rm(workRoot, { recursive: true, force: true });
  }
}

/**
 * Asks the Electron binary itself (run as plain Node) for its version, module ABI, platform, arch
 * and headers address. Falls back to the electron package's own files when it cannot run that way.
 *
 * @returns {Promise<{ electronVersion: string, abi: string, platform: string, arch: string, headersUrl: string | null } | null>}
 */
async function readElectronTarget(root, electronPath, env) {
  const script =
    'process.stdout.write(JSON.stringify({electronVersion:process.versions.electron,abi:process.versions.modules,' +
    'platform:process.platform,arch:process.arch,headersUrl:(process.release&&process.release.headersUrl)||null}))';
  const { code, stdout } = await runCaptured(electronPath, ['-e', script], { ...env, ELECTRON_RUN_AS_NODE: '1' });
  if (code === 0) {
    try {
      const probed = JSON.parse(stdout);
      if (probed.electronVersion && probed.abi) return probed;
    } catch {
      // Not JSON: fall through to the package files.
    }
  }
  try {
    const packageDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
    return {
      electronVersion: readJson(path.join(packageDir, 'package.json')).version,
      abi: readFileSync(path.join(packageDir, 'abi_version'), 'utf8').trim(),
      platform: process.platform,
      arch: process.arch,
      headersUrl: null,
    };
  } catch {
    return null;
  }
}

/** Loading the binary in Electron proves its ABI; a mismatched download is refused here, not at launch. */
async function loadsInElectron(electronPath, bindingPath, env, logFd) {
  const script = `process.dlopen({ exports: {} }, ${JSON.stringify(bindingPath)})`;
  const { code, stdout, stderr } = await runCaptured(electronPath, ['-e', script], {
    ...env,
    ELECTRON_RUN_AS_NODE: '1',
  });
  writeLog(logFd, `\n$ electron -e <load ${bindingPath}>\n${stdout}${stderr}exit ${code}\n`);
  return code === 0;
}

async function copySources(sqliteDir, workDir) {
  await mkdir(workDir, { recursive: true });
  for (const entry of SOURCE_ENTRIES) {
    await cp(path.join(sqliteDir, entry), path.join(workDir, entry), { recursive: true });
  }
}

/** node-gyp as npm ships it (npm names it in `npm_config_node_gyp` for scripts), or a local install. */
function locateNodeGyp(root, env) {
  const candidates = [
    env.npm_config_node_gyp,
    env.npm_execpath &&
      path.join(path.dirname(env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    resolveFrom(root, 'node-gyp/bin/node-gyp.js'),
  ];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

function resolveFrom(dir, request) {
  try {
    return createRequire(path.join(dir, 'package.json')).resolve(request);
  } catch {
    return null;
  }
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function writeLog(fd, text) {
  try {
    writeSync(fd, text);
  } catch {
    // Best effort: a log that cannot be written must not fail the build it describes.
  }
}

/**
 * The tools' environment: without this project's `npm_package_*` variables (set by `npm start`),
 * which prebuild-install would take for better-sqlite3's, and without npm's `nodedir` setting,
 * which would make node-gyp build against Node's headers instead of Electron's.
 */
function buildEnv(env) {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !name.startsWith('npm_package_') && name.toLowerCase() !== 'npm_config_nodedir',
    ),
  );
}

/** @returns {Promise<number>} the exit code (1 when the step could not start) */
function runLogged(step, logFd, env) {
  writeLog(logFd, `\n$ ${[step.command, ...step.args].join(' ')}\n`);
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: step.cwd, env, stdio: ['ignore', logFd, logFd] });
    child.on('error', (error) => {
      writeLog(logFd, `${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** @returns {Promise<{ code: number, stdout: string, stderr: string }>} */
function runCaptured(command, args, env) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: PROBE_TIMEOUT_MS });
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => resolve({ code: 1, stdout, stderr: `${stderr}${error.message}\n` }));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
