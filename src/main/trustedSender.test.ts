import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, originOf } from './appOrigin';
import { isPermissionAllowed, isTrustedSender, type SenderInfo } from './trustedSender';

const policy = { trustedOrigins: [APP_ORIGIN], isOwnWebContents: (id: number) => id === 7 };
const ours: SenderInfo = { frameUrl: 'app://station/index.html', isMainFrame: true, webContentsId: 7 };

describe('isTrustedSender', () => {
  it('serves the main frame of our window on our origin', () => {
    expect(isTrustedSender(ours, policy)).toBe(true);
    expect(isTrustedSender({ ...ours, frameUrl: 'app://station/items/abc?x=1#y' }, policy)).toBe(true);
  });

  it.each<[string, Partial<SenderInfo>]>([
    ['an iframe', { isMainFrame: false }],
    ['a webContents we did not create', { webContentsId: 8 }],
    ['a destroyed frame', { frameUrl: undefined }],
    ['another app:// host', { frameUrl: 'app://evil/index.html' }],
    ['a look-alike host', { frameUrl: 'app://station.evil/index.html' }],
    ['a file:// page', { frameUrl: 'file:///work/main/out/renderer/index.html' }],
    ['a web page', { frameUrl: 'https://station/index.html' }],
    ['about:blank', { frameUrl: 'about:blank' }],
    ['a data: URL', { frameUrl: 'data:text/html,<script>1</script>' }],
  ])('refuses %s', (_name, change) => {
    expect(isTrustedSender({ ...ours, ...change }, policy)).toBe(false);
  });

  it('trusts the dev server only when it is listed', () => {
    const dev = { ...ours, frameUrl: 'http://localhost:5173/' };
    expect(isTrustedSender(dev, policy)).toBe(false);
    expect(isTrustedSender(dev, { ...policy, trustedOrigins: [APP_ORIGIN, 'http://localhost:5173'] })).toBe(true);
    expect(
      isTrustedSender(
        { ...dev, frameUrl: 'http://localhost:5174/' },
        { ...policy, trustedOrigins: [APP_ORIGIN, 'http://localhost:5173'] },
      ),
    ).toBe(false);
  });
});

describe('originOf', () => {
  it('keeps scheme, host and port, unlike URL.origin for custom schemes', () => {
    expect(new URL('app://station/x').origin).toBe('null');
    expect(originOf('app://station/x')).toBe('app://station');
    expect(originOf('http://localhost:5173/a')).toBe('http://localhost:5173');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
    expect(originOf(undefined)).toBeNull();
  });
});

describe('isPermissionAllowed', () => {
  it('allows fullscreen and clipboard writes to our page only', () => {
    expect(isPermissionAllowed('fullscreen', 'app://station/index.html', [APP_ORIGIN])).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://station', [APP_ORIGIN])).toBe(true);
    expect(isPermissionAllowed('fullscreen', 'https://example.com/', [APP_ORIGIN])).toBe(false);
  });

  it.each(['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial', 'usb'])(
    'denies %s',
    (permission) => {
      expect(isPermissionAllowed(permission, 'app://station/index.html', [APP_ORIGIN])).toBe(false);
    },
  );
});
