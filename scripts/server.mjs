// `npm run server`: the central server's build (out/node/server.js) in this process, after checking
// that the build matches the sources (a stale build is rebuilt first, and says so on stderr).
import { ensureNodeBuild } from './nodeBuildStamp.mjs';

await ensureNodeBuild();
// Before the build loads, so its stack traces name the TypeScript files and lines.
process.setSourceMapsEnabled(true);
await import('../out/node/server.js');
