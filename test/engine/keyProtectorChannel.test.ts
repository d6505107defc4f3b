import { fork, type ChildProcess } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_MAIN } from '../../src/core/daemon/openStation';
import { RemoteEngine } from '../../src/core/daemon/remoteEngine';
import { createEngine } from '../../src/core/engine';
import { ChannelKeyProtector, type KeyProtectorReply } from '../../src/core/keys/keyProtectorChannel';
import { serveKeyProtector, type StringEncryption } from '../../src/main/keyProtectorHost';
import { REPO_ROOT } from './cliRunner';
import { ADMIN, makeTempDir, quietLogger, removeTree } from './harness';

/**
 * The desktop station key across the utility-process boundary, with the real engine process
 * (src/core/daemon/engineMain.ts, forked with an IPC channel, which carries the same message shapes
 * as Electron's parent port) and main's real side (`serveKeyProtector`). The one stand-in is the OS
 * encryption itself, which only Electron offers: an AES-256-GCM key held in this process.
 */

let root: string;
beforeAll(async () => {
  root = await makeTempDir('keychannel');
});
afterAll(async () => {
  await removeTree(root);
});

/** What safeStorage does, with a key only this process (the "main process") holds. */
function testKeychain(): StringEncryption & { available: boolean; calls: string[] } {
  const key = randomBytes(32);
  const chain = {
    available: true,
    calls: [] as string[],
    isAvailable: () => chain.available,
    encryptString(plain: string): Buffer {
      chain.calls.push('encrypt');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decryptString(encrypted: Buffer): string {
      chain.calls.push('decrypt');
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
  return chain;
}

interface EngineChild {
  child: ChildProcess;
  engine: RemoteEngine;
  stop(): Promise<void>;
}

/** The engine process as the desktop app starts it, with this process answering its keychain requests. */
async function startEngineChild(dataDir: string, keychain: StringEncryption): Promise<EngineChild> {
  const child = fork(ENGINE_MAIN, [JSON.stringify({ dataDir, runJobs: false, keyProtectorChannel: true })], {
    cwd: REPO_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['pipe', 'pipe', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopServing = serveKeyProtector(
    {
      postMessage: (message) => child.send(message as object),
      on: (event, listener) => child.on(event, listener),
      off: (event, listener) => child.off(event, listener),
    },
    keychain,
    quietLogger(),
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    void exited.then(() => reject(new Error('the engine process ended before it was ready')));
  });
  const { ready } = JSON.parse(line) as { ready: string };
  const engine = await RemoteEngine.connect(ready, { expectDataDir: dataDir, expectPid: child.pid!, via: 'cli' });
  return {
    child,
    engine,
    async stop() {
      await engine.close();
      child.stdin!.end();
      await exited;
      stopServing();
    },
  };
}

const CLI = { sessionId: null, via: 'cli' } as const;

describe('the station key protected by the desktop keychain across the utility process', { timeout: 120_000 }, () => {
  it('is made and used through main’s keychain; without one it stays locked, the station still opens', async () => {
    const dataDir = join(root, 'desktop');
    const keychain = testKeychain();
    let running = await startEngineChild(dataDir, keychain);
    try {
      const session = await running.engine.call('auth.setupAdmin', ADMIN, CLI);
      expect(await running.engine.call('station.key', {}, CLI)).toMatchObject({ protection: 'safeStorage' });
      const stored = await readFile(join(dataDir, 'keys', 'station.key'));
      expect(stored.toString('latin1')).not.toContain('PRIVATE KEY');
      expect(keychain.calls).toEqual(['encrypt']);
      // A sign-out signs a checkpoint: the private key is unlocked through main's keychain.
      await running.engine.call('auth.signOut', {}, { sessionId: session.sessionId, via: 'cli' });
      const verdict = await running.engine.call('custody.verify', {}, CLI);
      expect(verdict.ok).toBe(true);
      expect(verdict.checkpoints).toMatchObject({ count: 1, verified: 1 });
      expect(keychain.calls).toEqual(['encrypt', 'decrypt']);
    } finally {
      await running.stop();
    }

    // The OS keychain gone (Linux without a keyring): the engine opens, signing is refused.
    keychain.available = false;
    running = await startEngineChild(dataDir, keychain);
    try {
      const session = await running.engine.call('auth.signIn', ADMIN, CLI);
      await running.engine.call('auth.signOut', {}, { sessionId: session.sessionId, via: 'cli' });
      const verdict = await running.engine.call('custody.verify', {}, CLI);
      // The checkpoint waits for the key; the earlier one still verifies.
      expect(verdict.checkpoints).toMatchObject({ count: 1, verified: 1 });
      expect(await running.engine.call('station.key', {}, CLI)).toMatchObject({ protection: 'safeStorage' });
    } finally {
      await running.stop();
    }
  });

  it('keeps an existing station’s protection: a file-mode key is not moved into the keychain', async () => {
    const dataDir = join(root, 'older');
    const engine = await createEngine({ dataDir, runJobs: false, log: quietLogger() });
    await engine.close();
    const before = await readFile(join(dataDir, 'keys', 'station.key'));
    const keychain = testKeychain();
    const running = await startEngineChild(dataDir, keychain);
    try {
      expect(await running.engine.call('station.key', {}, CLI)).toMatchObject({ protection: 'fileMode' });
    } finally {
      await running.stop();
    }
    expect(await readFile(join(dataDir, 'keys', 'station.key'))).toEqual(before);
    expect(keychain.calls).toEqual([]);
  });
});

describe('the key-protector messages', () => {
  it('main refuses malformed requests and answers only what it can validate; the engine side drops stray replies', async () => {
    const { port1: engineSide, port2: mainSide } = new MessageChannel();
    const keychain = testKeychain();
    const stop = serveKeyProtector(mainSide, keychain, quietLogger());
    const replies: KeyProtectorReply[] = [];
    const raw = (message: unknown): Promise<KeyProtectorReply> =>
      new Promise((resolve) => {
        engineSide.once('message', (reply: KeyProtectorReply) => {
          replies.push(reply);
          resolve(reply);
        });
        engineSide.postMessage(message);
      });
    try {
      expect(await raw({ type: 'keyProtector.request', id: 7, op: 'encrypt', data: 'not base64!' })).toEqual({
        type: 'keyProtector.reply',
        id: 7,
        ok: false,
        error: 'invalid',
      });
      expect(await raw({ type: 'keyProtector.request', id: 8, op: 'sign', data: '' })).toMatchObject({
        id: 8,
        ok: false,
        error: 'invalid',
      });
      expect(keychain.calls).toEqual([]);

      // The engine's side over the same port: round trip, and a decrypt of foreign bytes refused.
      const protector = new ChannelKeyProtector({
        postMessage: (m) => engineSide.postMessage(m),
        onMessage(listener) {
          engineSide.on('message', listener);
          return () => engineSide.off('message', listener);
        },
      });
      try {
        expect(await protector.isAvailable()).toBe(true);
        const secret = randomBytes(48);
        const sealed = await protector.encrypt(secret);
        expect(sealed.equals(secret)).toBe(false);
        expect((await protector.decrypt(sealed)).equals(secret)).toBe(true);
        await expect(protector.decrypt(randomBytes(64))).rejects.toMatchObject({ code: 'key.protectorFailed' });
        keychain.available = false;
        expect(await protector.isAvailable()).toBe(false);
        await expect(protector.decrypt(sealed)).rejects.toMatchObject({ code: 'key.unavailable' });
      } finally {
        protector.close();
      }
    } finally {
      stop();
      engineSide.close();
    }
  });
});
