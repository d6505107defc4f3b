import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { RollupOptions } from 'rollup';

const fromRoot = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * Worker-thread entries of the engine: every `src/core/**\/*Worker.ts`. Each becomes
 * `out/main/<name>.js` beside `index.js`, which is where the engine's `startWorker` looks for the
 * compiled worker (`new URL('./<name>.js', import.meta.url)`). Chunks stay in the same folder for
 * the same reason: a worker URL is resolved relative to the file that asks for it.
 */
function findWorkerEntries(): Record<string, string> {
  const coreDir = fromRoot('./src/core');
  const entries: Record<string, string> = {};
  for (const file of readdirSync(coreDir, { recursive: true, encoding: 'utf8' })) {
    if (/Worker\.ts$/.test(file) && !file.endsWith('.test.ts')) {
      entries[path.basename(file, '.ts')] = path.join(coreDir, file);
    }
  }
  return entries;
}

/**
 * electron-vite 6 reads bundler options from `build.rolldownOptions` (Vite 8's name) and hands them
 * to Vite 7 as `rollupOptions`, overwriting any `rollupOptions` given directly; Vite 7's types do
 * not know the new key yet.
 */
function bundlerOptions(options: RollupOptions): Record<string, unknown> {
  return { rolldownOptions: options };
}

/**
 * `electron-vite build` → `out/main` (ES modules, Node target of Electron's runtime),
 * `out/preload/index.cjs` (one CommonJS file: a sandboxed preload cannot load modules, so
 * everything it uses is bundled in), `out/renderer` (served to the window over `app://station`).
 *
 * Dependencies of main stay external (`externalizeDeps`): better-sqlite3 is a native addon, and the
 * ffmpeg/ffprobe installer packages locate their binaries relative to their own folder.
 */
export default defineConfig({
  main: {
    build: {
      externalizeDeps: true,
      sourcemap: true,
      lib: {
        // `engine`: the engine process the app forks with `utilityProcess.fork` (src/main/engineProcess.ts).
        entry: {
          index: fromRoot('./src/main/index.ts'),
          engine: fromRoot('./src/core/daemon/engineMain.ts'),
          ...findWorkerEntries(),
        },
        formats: ['es'],
        fileName: (_format, entryName) => `${entryName}.js`,
      },
      ...bundlerOptions({ output: { chunkFileNames: '[name]-[hash].js' } }),
    },
  },
  preload: {
    build: {
      // Bundle everything (zod and the contract included): a sandboxed preload can require only `electron`.
      externalizeDeps: false,
      sourcemap: true,
      lib: {
        entry: { index: fromRoot('./src/preload/index.ts') },
        formats: ['cjs'],
        fileName: () => 'index.cjs',
      },
      ...bundlerOptions({ output: { inlineDynamicImports: true } }),
    },
  },
  renderer: {
    root: fromRoot('./src/renderer'),
    // Absolute asset paths: `app://station/items/x` falls back to index.html and must still find /assets.
    base: '/',
    plugins: [react()],
    build: {
      outDir: fromRoot('./out/renderer'),
      emptyOutDir: true,
      sourcemap: true,
      // Inlined assets would become data: URLs, which the CSP allows for images and fonts only.
      assetsInlineLimit: 0,
      ...bundlerOptions({ input: fromRoot('./src/renderer/index.html') }),
    },
  },
});
