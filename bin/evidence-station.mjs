#!/usr/bin/env node
// The package's command: runs the CLI's build (out/node/cli.js) in this process, after checking
// that the build matches the sources (a stale build is rebuilt first, and says so on stderr).
// `prepare` builds it on `npm ci`; see "Built JavaScript" in the README.
import { ensureNodeBuild } from '../scripts/nodeBuildStamp.mjs';

await ensureNodeBuild();
// Before the build loads, so its stack traces name the TypeScript files and lines.
process.setSourceMapsEnabled(true);
await import('../out/node/cli.js');
