import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAssetPath, serveAppAsset } from './appAssets';

let root: string;
const csp = "default-src 'none'";

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'app-assets-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(path.join(root, 'assets', 'main-abc.js'), 'console.log(1)');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('resolveAssetPath', () => {
  it('maps paths inside the root and falls back to index.html for routes', () => {
    expect(resolveAssetPath(root, '/assets/main-abc.js')).toBe(path.join(root, 'assets', 'main-abc.js'));
    expect(resolveAssetPath(root, '/')).toBe(path.join(root, 'index.html'));
    expect(resolveAssetPath(root, '/items/01ABC')).toBe(path.join(root, 'index.html'));
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/assets/..%2F..%2Fsecret.js',
    '/a%00.js',
    '/a%5c..%5csecret.js',
    '/%E0%A4%A',
  ])('never leaves the root for %s', (pathname) => {
    const resolved = resolveAssetPath(root, pathname);
    expect(resolved === null || resolved.startsWith(root + path.sep)).toBe(true);
  });
});

describe('serveAppAsset', () => {
  it('serves files with their type and the CSP', async () => {
    const res = await serveAppAsset(root, new Request('app://station/assets/main-abc.js'), csp);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(csp);
    expect(await res.text()).toBe('console.log(1)');
  });

  it('serves index.html for the app entry', async () => {
    const res = await serveAppAsset(root, new Request('app://station/index.html'), csp);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('id="root"');
  });

  it('answers 404 for missing files', async () => {
    const res = await serveAppAsset(root, new Request('app://station/assets/missing.js'), csp);
    expect(res.status).toBe(404);
  });
});
