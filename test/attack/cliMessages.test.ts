import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyPaths } from '../../src/core/keys/stationKey';
import { makeTempDir, removeTree } from '../engine/harness';
import { runCli } from '../engine/cliRunner';

/**
 * The CLI's error line is read by a person at a terminal: every `{placeholder}` of the message is
 * filled from the error's parameters, escaped, never printed as a raw template.
 */

let root: string;
let data: string;
const cli = (args: string[]) => runCli([...args, '--data', data]);

beforeAll(async () => {
  root = await makeTempDir('climsg');
  data = join(root, 'st');
  expect((await cli(['init', '--admin', 'chief'])).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await removeTree(root);
});

describe('CLI error messages', () => {
  it('names the damaged key file in words, not as a {template}', async () => {
    await rm(keyPaths(data).publicKey);
    const r = await cli(['log', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('key.damaged');
    expect(r.stderr).toContain(`${keyPaths(data).dir} are missing or do not belong together (station.pub.pem)`);
    expect(r.stderr).not.toMatch(/\{\w+\}/);
  }, 60_000);
});
