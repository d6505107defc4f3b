import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeTypeOf, resolveStaticPath } from './static';

describe('resolveStaticPath', () => {
  const root = resolve('/srv/station/web');

  it.each([
    ['/', root],
    ['/index.html', join(root, 'index.html')],
    ['/assets/app-1a2b.js', join(root, 'assets', 'app-1a2b.js')],
    ['/items/%E6%89%A7%E6%B3%95', join(root, 'items', '执法')],
    ['/assets/../index.html', join(root, 'index.html')],
  ])('maps %s inside the root', (urlPath, expected) => {
    expect(resolveStaticPath(root, urlPath)).toBe(expected);
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/..%2F..%2Fetc%2Fpasswd',
    '/assets/..%2f..%2f..%2fetc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/..%5csecret.txt',
    '/index.html%00.js',
    '/%E0%A4%A',
  ])('refuses %s', (urlPath) => {
    expect(resolveStaticPath(root, urlPath)).toBeNull();
  });

  it('does not mistake a sibling folder with the same prefix for the root', () => {
    expect(resolveStaticPath(root, '/../web-secrets/key')).toBeNull();
  });
});

describe('mimeTypeOf', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['app.JS', 'text/javascript; charset=utf-8'],
    ['font.woff2', 'font/woff2'],
    ['unknown.bin', 'application/octet-stream'],
  ])('%s → %s', (file, type) => {
    expect(mimeTypeOf(file)).toBe(type);
  });
});
