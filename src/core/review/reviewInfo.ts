import { AppError } from '../../shared/errors';
import type { ReviewInfo } from '../../shared/reviewSchemas';
import type { ItemDetail } from '../../shared/schemas';
import type { ReadableDB } from '../db/database';
import { readFilmstripIndex } from '../jobs/filmstripIndex';
import { getItemDetail } from '../library/itemsRepo';
import { listMarkers } from '../markers/markersRepo';
import { listTags } from '../tags/tagsRepo';
import { getDerivation, listDerivatives } from './derivationsRepo';

/**
 * What the player streams: the original when Chromium plays it, else the proxy once it is made.
 * Never a clip from a proxy: the proxy is for watching only.
 */
export function playbackOf(item: ItemDetail): ReviewInfo['playback'] {
  if (item.kind !== 'video' || item.status !== 'ok') return 'none';
  if (item.media.browserPlayable) return 'original';
  if (item.proxy === 'ready') return 'proxy';
  if (item.proxy === 'pending') return 'pending';
  return 'none';
}

/**
 * Everything the review workspace shows for one item (`review.open`), read in one go.
 * `videoStartSec` comes from the file itself (`videoStartOf`), not from the database.
 */
export function readReviewInfo(db: ReadableDB, itemId: string, videoStartSec = 0): ReviewInfo {
  const item = getItemDetail(db, itemId);
  if (!item) throw new AppError('item.notFound', { id: itemId });
  return {
    item,
    playback: playbackOf(item),
    frameRate: item.media.frameRate ?? null,
    videoStartSec,
    filmstrip: readFilmstripIndex(db, itemId),
    derivation: getDerivation(db, itemId),
    derivatives: listDerivatives(db, itemId),
    tags: listTags(db, itemId, { includeRemoved: false }),
    markers: listMarkers(db, itemId),
  };
}
