import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the tests find the built entry points (scripts/buildNode.mjs). Vitest's global setup
 * builds them when the sources changed, so a test runs the JavaScript of the code under test.
 */
export const BUILT_DIR = fileURLToPath(new URL('../out/node/', import.meta.url));
export const BUILT_CLI = path.join(BUILT_DIR, 'cli.js');
export const BUILT_SERVER = path.join(BUILT_DIR, 'server.js');

/** Node's flags for a built entry: stack traces through the source maps name the .ts files. */
export const BUILT_NODE_FLAGS = ['--enable-source-maps'];
