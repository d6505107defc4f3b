/**
 * Where the renderer is loaded from. A custom `app://station` scheme instead of `file://` gives the
 * page a real origin, so CSP `'self'`, the IPC sender check and navigation guards all have one
 * origin to compare against (Electron security checklist: "Use a custom protocol instead of file://").
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null. WHATWG `URL.origin` is the string "null" for
 * non-special schemes such as `app:`, so it cannot be used to compare our own origin.
 */
export function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** True for a URL served by one of the trusted origins (our scheme, or the dev server in development). */
export function isTrustedUrl(url: string | undefined, trustedOrigins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && trustedOrigins.includes(origin);
}
