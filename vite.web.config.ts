import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const fromRoot = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the renderer for the local web host (`npm run build:web` → `out/web`). The Electron
 * build has its own config (electron.vite.config.ts); both compile the same `src/renderer`.
 */
export default defineConfig({
  root: fromRoot('./src/renderer'),
  // Absolute asset paths, so a deep link such as /items/abc served by the SPA fallback still finds /assets.
  base: '/',
  plugins: [react()],
  build: {
    outDir: fromRoot('./out/web'),
    emptyOutDir: true,
    target: 'chrome120',
    // No source maps: the web host would serve the renderer's source to anyone with the link.
    sourcemap: false,
    // Inlined assets would become data: URLs; the CSP allows them for images only, so keep files.
    assetsInlineLimit: 0,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod places `@__PURE__` comments where Rollup cannot use them: harmless, and the noise hides real warnings.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
