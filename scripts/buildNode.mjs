// Builds every Node entry point of the station into plain JavaScript in out/node: the command line
// (cli.js), the central server (server.js), the engine process (engineMain.js) and the engine's
// worker threads (every src/core/**/*Worker.ts, as electron.vite.config.ts finds them). Run by
// `prepare` (so by `npm ci`), by `npm run build:node`, by Vitest's global setup, and by the bin
// itself when its sources changed since the last build (see nodeBuildStamp.mjs).
//
// Plain .mjs on purpose: it must run before anything is compiled, with no loader.
//
// Packages stay external (imported from node_modules at run time, never bundled): better-sqlite3
// is a native addon, PGlite loads its wasm and data files beside itself, pdfkit reads its font
// metrics from its own folder, the ffmpeg/ffprobe installer packages locate their binaries
// relative to theirs. Only the repository's own TypeScript is compiled.
//
// Every file is written to a temporary name and renamed into place, entries after the chunks they
// import and the stamp last: a process starting while another rebuilds reads either the old
// build or the new one, never half a file. Chunk names carry their content's hash, so a running
// process's later `import()` of an old chunk still finds it; `--clean` (what `prepare` and
// `build:node` run) starts from an empty folder.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { BUILD_DIR, STAMP_FILE, describeInputs, repoRoot } from './nodeBuildStamp.mjs';

/** Files whose change changes the output without being an input esbuild reports. */
const BUILD_CONFIG_FILES = ['scripts/buildNode.mjs', 'scripts/nodeBuildStamp.mjs', 'package.json'];

function workerEntries(root) {
  const coreDir = path.join(root, 'src/core');
  const entries = {};
  for (const file of readdirSync(coreDir, { recursive: true, encoding: 'utf8' })) {
    if (/Worker\.ts$/.test(file) && path.basename(file) !== 'startWorker.ts') {
      entries[path.basename(file, '.ts')] = path.join(coreDir, file);
    }
  }
  return entries;
}

export function nodeEntryPoints(root = repoRoot) {
  return {
    cli: path.join(root, 'src/cli/index.ts'),
    server: path.join(root, 'server/index.ts'),
    engineMain: path.join(root, 'src/core/daemon/engineMain.ts'),
    ...workerEntries(root),
  };
}

async function writeAtomically(file, contents) {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, contents);
  await rename(temp, file);
}

/**
 * Builds out/node. Resolves with the build's size and time; rejects (esbuild's messages printed)
 * when the sources do not compile.
 */
export async function buildNode({ root = repoRoot, clean = false, quiet = false } = {}) {
  const started = performance.now();
  const outDir = path.join(root, BUILD_DIR);
  const result = await build({
    absWorkingDir: root,
    entryPoints: nodeEntryPoints(root),
    outdir: outDir,
    bundle: true,
    // Shared code becomes chunks that load only when a command needs them (`import()` in the CLI).
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    // The worker and engine URLs (`new URL('./x.js', import.meta.url)`) resolve beside the chunk
    // that asks, so entries and chunks share one folder.
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    // Linked maps without sources: stack traces name the .ts files of the checkout, which is
    // where the sources are.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: quiet ? 'error' : 'warning',
  });
  if (clean) await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const entryFiles = new Set(Object.keys(nodeEntryPoints(root)).flatMap((n) => [`${n}.js`, `${n}.js.map`]));
  const isEntry = (file) => entryFiles.has(path.basename(file));
  for (const file of result.outputFiles.filter((f) => !isEntry(f.path)))
    await writeAtomically(file.path, file.contents);
  for (const file of result.outputFiles.filter((f) => isEntry(f.path))) await writeAtomically(file.path, file.contents);
  const inputs = [...Object.keys(result.metafile.inputs), ...BUILD_CONFIG_FILES].sort();
  const stamp = { version: 1, inputs: await describeInputs(root, inputs) };
  await writeAtomically(path.join(outDir, STAMP_FILE), `${JSON.stringify(stamp)}\n`);
  const bytes = result.outputFiles.reduce((sum, f) => sum + f.contents.byteLength, 0);
  return { files: result.outputFiles.length, bytes, inputs: inputs.length, ms: performance.now() - started };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const clean = process.argv.includes('--clean');
  try {
    const done = await buildNode({ clean });
    if (!process.argv.includes('--quiet')) {
      console.log(
        `built ${done.files} files (${(done.bytes / 1024).toFixed(0)} KiB) from ${done.inputs} sources into ${BUILD_DIR} in ${Math.round(done.ms)} ms`,
      );
    }
  } catch (error) {
    // esbuild has printed each compile error with its file and line already.
    console.error(`the Node build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    process.exitCode = 1;
  }
}
