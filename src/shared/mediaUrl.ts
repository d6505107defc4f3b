import { MEDIA_SCHEME } from './bridge';
import { MediaVariant } from './contract';

/** The host part of every media URL: `evidence://media/<itemId>/<variant>?s=<sessionId>`. */
const MEDIA_HOST = 'media';

export interface MediaRequest {
  itemId: string;
  variant: MediaVariant;
  sessionId: string | null;
}

/**
 * The URL the renderer puts in `<video src>` / `<img src>` in Electron. The session rides in the
 * query because media elements cannot send headers; the main process checks it like any call.
 */
export function formatMediaUrl(itemId: string, variant: MediaVariant, sessionId: string | null): string {
  const base = `${MEDIA_SCHEME}://${MEDIA_HOST}/${encodeURIComponent(itemId)}/${variant}`;
  return sessionId ? `${base}?s=${encodeURIComponent(sessionId)}` : base;
}

/** The inverse of `formatMediaUrl`; null for anything that is not exactly that shape. */
export function parseMediaUrl(url: string): MediaRequest | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.hostname !== MEDIA_HOST) return null;
  const parts = parsed.pathname.split('/');
  if (parts.length !== 3 || parts[0] !== '') return null;
  const variant = MediaVariant.safeParse(parts[2]);
  if (!variant.success) return null;
  let itemId: string;
  try {
    itemId = decodeURIComponent(parts[1] ?? '');
  } catch {
    return null;
  }
  if (itemId === '' || itemId.length > 128) return null;
  return { itemId, variant: variant.data, sessionId: parsed.searchParams.get('s') || null };
}
