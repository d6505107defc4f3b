// Which Node each way of running the station needs. The desktop app runs on Electron's own Node,
// but installing it does not: Electron 45's download tooling (@electron/get) declares Node
// >= 22.12, and on an older Node `npm ci` warns and the binary may never be fetched. The web host
// and the CLI run on the Node in PATH; vite, electron-vite and @tus/server set their floor.
// package.json `engines` and the README's "Node versions" say the same; a test holds them together.

/** Node that installs and starts the desktop app (Electron's download tooling). */
export const DESKTOP_NODE = '22.12.0';
/** Node that runs the web host and the CLI (vite 7, @tus/server 2). */
export const HOST_NODE = '20.19.0';
/** package.json `engines.node`: every host's floor, in the form vite and electron-vite use. */
export const ENGINES_NODE = '^20.19.0 || >=22.12.0';

/** `[major, minor, patch]` of a version such as `v20.20.2` or `22.12.0`. */
function parts(version) {
  return version
    .replace(/^v/, '')
    .split('.')
    .map((n) => Number.parseInt(n, 10) || 0);
}

/** True when `version` is at least `floor`. */
export function atLeast(version, floor) {
  const [a, b] = [parts(version), parts(floor)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * The one line `npm start` prints when this Node cannot install the desktop app, or null when it
 * can. `version` is `process.version`.
 */
export function desktopNodeProblem(version) {
  if (atLeast(version, DESKTOP_NODE)) return null;
  return `The desktop app needs Node ${DESKTOP_NODE} or later to install Electron (this is Node ${version.replace(/^v/, '')}); starting the web host instead, which runs on Node ${HOST_NODE} or later.`;
}
