import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DESKTOP_NODE, ENGINES_NODE, HOST_NODE, atLeast, desktopNodeProblem } from '../../scripts/nodeVersions.mjs';

/**
 * Which Node each host needs, said the same way in package.json, its lock, the README and by
 * `npm start` (issue 11 §4: `npm ci` on Node 20 warned about Electron and the README named no Node).
 */

const ROOT = join(import.meta.dirname, '..', '..');

describe('Node versions', () => {
  it('package.json engines, the lock and the README agree with scripts/nodeVersions.mjs', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    const lock = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } }>;
    };
    expect(pkg.engines.node).toBe(ENGINES_NODE);
    expect(lock.packages['']?.engines?.node).toBe(ENGINES_NODE);
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`${ENGINES_NODE}\``);
    expect(readme).toMatch(new RegExp(`Desktop app.*${DESKTOP_NODE.replace(/\./g, '\\.')} or later`));
    expect(readme).toMatch(new RegExp(`Web host.*${HOST_NODE.replace(/\./g, '\\.')} or later`));
    expect(readme).toMatch(new RegExp(`CLI.*${HOST_NODE.replace(/\./g, '\\.')} or later`));
  });

  it("the desktop floor is Electron's own download tooling's", async () => {
    const get = JSON.parse(await readFile(join(ROOT, 'node_modules', '@electron', 'get', 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(get.engines.node.replace(/[>=\s]/g, '')).toBe(DESKTOP_NODE);
  });

  it('says in one line why the desktop app cannot start on an older Node, and nothing on a newer one', () => {
    expect(desktopNodeProblem('v20.20.2')).toBe(
      'The desktop app needs Node 22.12.0 or later to install Electron (this is Node 20.20.2); starting the web host instead, which runs on Node 20.19.0 or later.',
    );
    expect(desktopNodeProblem('v22.11.9')).toContain('22.12.0 or later');
    expect(desktopNodeProblem('v22.12.0')).toBeNull();
    expect(desktopNodeProblem('v24.1.0')).toBeNull();
    expect(atLeast('v20.19.0', HOST_NODE)).toBe(true);
    expect(atLeast('v20.18.9', HOST_NODE)).toBe(false);
  });

  it('npm start prints that line on this Node when Electron is missing', async () => {
    const tooOld = !atLeast(process.version, DESKTOP_NODE);
    // Point the script at a missing binary and stop it once it has spoken: the web host is not needed here.
    const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, ELECTRON_EXEC_PATH: join(ROOT, 'no-such-electron') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.once('exit', () => resolve(out.split('\n')[0] ?? ''));
      child.once('error', reject);
    });
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
    if (tooOld) expect(firstLine).toBe(desktopNodeProblem(process.version));
    else expect(firstLine).toMatch(/^Electron's binary is not installed here/);
  });
});
