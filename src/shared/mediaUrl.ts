import { MEDIA_SCHEME } from './bridge';
import { MediaVariant } from './contract';

/** The host part of every media URL: `evidence://media/<itemId>/<variant>?part=<n>&s=<sessionId>`. */
const MEDIA_HOST = 'media';

export interface MediaRequest {
  itemId: string;
  variant: MediaVariant;
  sessionId: string | null;
  /** Sheet number of a filmstrip; absent for the first sheet and for every other variant. */
  part?: number;
}

/** Sheets of one filmstrip: a 24-hour recording with a keyframe every 0.1 s needs under 10,000. */
const MAX_PART = 99_999;

/**
 * The URL the renderer puts in `<video src>` / `<img src>` in Electron. The session rides in the
 * query because media elements cannot send headers; the main process checks it like any call.
 */
export function formatMediaUrl(itemId: string, variant: MediaVariant, sessionId: string | null, part?: number): string {
  const base = `${MEDIA_SCHEME}://${MEDIA_HOST}/${encodeURIComponent(itemId)}/${variant}`;
  const query = [
    ...(part !== undefined ? [`part=${part}`] : []),
    ...(sessionId ? [`s=${encodeURIComponent(sessionId)}`] : []),
  ];
  return query.length > 0 ? `${base}?${query.join('&')}` : base;
}

/**
 * The `part` query value of a media request: absent (undefined), a sheet number, or `'invalid'`
 * (not a plain non-negative integer, too large, or given for a variant that has no parts).
 */
export function parseMediaPart(raw: string | null, variant: MediaVariant): number | undefined | 'invalid' {
  if (raw === null) return undefined;
  if (variant !== 'filmstrip' || !/^\d{1,5}$/.test(raw)) return 'invalid';
  const part = Number(raw);
  return part <= MAX_PART ? part : 'invalid';
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
  const part = parseMediaPart(parsed.searchParams.get('part'), variant.data);
  if (part === 'invalid') return null;
  const request: MediaRequest = { itemId, variant: variant.data, sessionId: parsed.searchParams.get('s') || null };
  if (part !== undefined) request.part = part;
  return request;
}
