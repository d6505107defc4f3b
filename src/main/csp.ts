import { MEDIA_SCHEME } from '../shared/bridge';

/**
 * The renderer's Content-Security-Policy, sent as a response header by the `app://` handler (and
 * on the dev server's responses in development). No inline or remote script, no eval; media only
 * through the `evidence:` scheme; no network at all beyond our own origin.
 *
 * `style-src 'unsafe-inline'` stays because React and the video element set inline styles; it
 * cannot run code. `devServerOrigin` loosens script/connect for Vite's HMR client in development only.
 */
export function buildContentSecurityPolicy(devServerOrigin?: string): string {
  const media = `${MEDIA_SCHEME}:`;
  const dev = devServerOrigin ? [devServerOrigin] : [];
  const devSocket = devServerOrigin ? [devServerOrigin.replace(/^http/, 'ws')] : [];
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    // The React refresh preamble is an inline module script in development.
    'script-src': ["'self'", ...dev, ...(devServerOrigin ? ["'unsafe-inline'"] : [])],
    'style-src': ["'self'", "'unsafe-inline'", ...dev],
    'img-src': ["'self'", media, 'data:', 'blob:'],
    'media-src': [media, 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", media, ...dev, ...devSocket],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}
