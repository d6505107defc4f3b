import { recordNewTag } from '../tags/recordNewTag';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Tag } from '../../shared/reviewSchemas';
import { inTransaction } from '../db/database';
import { getItemRow, type ItemRow } from '../library/itemsRepo';
import { getMarker, insertMarker, markMarkerRemoved } from '../markers/markersRepo';
import { assertMarkerWithinItem, assertRangeWithinItem, changedFields, planUndo, stateOf } from '../tags/tagRules';
import {
  getTag,
  insertTagRevision,
  listTagRevisions,
  listTags,
  setTagState,
  type TagAction,
  type TagState,
} from '../tags/tagsRepo';
import { getViolationType, latestTaxonomyVersion } from '../taxonomy/taxonomyRepo';
import { assertUsableType } from '../taxonomy/taxonomyRules';
import { stationTimestamp } from '../util/time';
import { actorOf, type Handlers, type Services } from './services';

type TagHandlers = Pick<
  Handlers,
  'tags.list' | 'tags.add' | 'tags.update' | 'tags.remove' | 'tags.undo' | 'markers.add' | 'markers.remove'
>;

/**
 * Tags and markers. Every tag change writes the tag's new state, a revision holding that full
 * state, and a custody entry about the item, in one transaction; markers are removed softly.
 */
export function tagHandlers(s: Services): TagHandlers {
  const itemOrThrow = (id: string): ItemRow => {
    const row = getItemRow(s.db, id);
    if (!row) throw new AppError('item.notFound', { id });
    return row;
  };
  const tagOrThrow = (id: string): Tag => {
    const tag = getTag(s.db, id);
    if (!tag) throw new AppError('tag.notFound', { id });
    return tag;
  };
  /** The latest taxonomy version and the usable type `code` names in it. */
  const usableType = (code: string): number => {
    const version = latestTaxonomyVersion(s.db);
    assertUsableType(version === null ? null : getViolationType(s.db, version, code), code);
    return version!;
  };

  /** Appends revision `tag.revision + 1` with its custody entry and makes it the tag's state. */
  const change = (
    tag: Tag,
    actor: string,
    action: Exclude<TagAction, 'add'>,
    state: TagState,
    details: Record<string, unknown>,
    undoes: number | null = null,
  ): void => {
    const item = itemOrThrow(tag.itemId);
    const revision = tag.revision + 1;
    const at = stationTimestamp(s.now());
    const entry = s.record({
      actor,
      action: `tag.${action}`,
      subject: tag.itemId,
      sha256: item.sha256,
      details: { tagId: tag.id, revision, ...details },
    });
    const row = { tagId: tag.id, revision, action, undoes, ...state, by: actor, at, custodySeq: entry.seq };
    insertTagRevision(s.db, row);
    setTagState(s.db, row);
  };

  const finish = (tag: Tag): Tag => {
    s.emit('review.changed', { itemId: tag.itemId });
    return tagOrThrow(tag.id);
  };

  return {
    'tags.list': (input) => {
      itemOrThrow(input.itemId);
      return listTags(s.db, input.itemId, { includeRemoved: input.includeRemoved });
    },
    'tags.add': (input, call) => {
      const actor = actorOf(call).name;
      const id = inTransaction(s.db, () => {
        const item = itemOrThrow(input.itemId);
        const state: TagState = {
          taxonomyVersion: usableType(input.code),
          code: input.code,
          fromSec: input.fromSec ?? null,
          toSec: input.toSec ?? null,
          note: input.note,
          removed: false,
        };
        assertRangeWithinItem({ durationSec: item.duration_sec, kind: item.kind }, state.fromSec, state.toSec);
        return recordNewTag(s, item, state, actor);
      });
      return finish(tagOrThrow(id));
    },
    'tags.update': (input, call) => {
      const actor = actorOf(call).name;
      const tag = inTransaction(s.db, () => {
        const current = tagOrThrow(input.id);
        if (current.removed) throw new AppError('tag.removed', { id: current.id });
        const before = stateOf(current);
        const next: TagState = { ...before };
        // A new code is taken from the latest catalogue; an unchanged one keeps its version and meaning.
        if (input.code !== undefined && input.code !== current.code) {
          next.taxonomyVersion = usableType(input.code);
          next.code = input.code;
        }
        if (input.fromSec !== undefined || input.toSec !== undefined) {
          next.fromSec = input.fromSec ?? null;
          next.toSec = input.toSec ?? null;
          const item = itemOrThrow(current.itemId);
          assertRangeWithinItem({ durationSec: item.duration_sec, kind: item.kind }, next.fromSec, next.toSec);
        }
        if (input.note !== undefined) next.note = input.note;
        const changed = changedFields(before, next);
        if (Object.keys(changed).length > 0) change(current, actor, 'update', next, { changed });
        return current;
      });
      return finish(tag);
    },
    'tags.remove': (input, call) => {
      const actor = actorOf(call).name;
      const tag = inTransaction(s.db, () => {
        const current = tagOrThrow(input.id);
        if (current.removed) throw new AppError('tag.removed', { id: current.id });
        change(current, actor, 'remove', { ...stateOf(current), removed: true }, { code: current.code });
        return current;
      });
      return finish(tag);
    },
    'tags.undo': (input, call) => {
      const actor = actorOf(call).name;
      const tag = inTransaction(s.db, () => {
        const current = tagOrThrow(input.id);
        const plan = planUndo(listTagRevisions(s.db, current.id));
        if (!plan) throw new AppError('tag.nothingToUndo', { id: current.id });
        const changed = changedFields(stateOf(current), plan.state);
        change(
          current,
          actor,
          'undo',
          plan.state,
          { undoes: plan.reverted.revision, undoneAction: plan.reverted.action, changed },
          plan.reverted.revision,
        );
        return current;
      });
      return finish(tag);
    },
    'markers.add': (input, call) => {
      const actor = actorOf(call).name;
      const marker = {
        id: randomUUID(),
        itemId: input.itemId,
        atSec: input.atSec,
        label: input.label,
        createdBy: actor,
        createdAt: stationTimestamp(s.now()),
      };
      inTransaction(s.db, () => {
        const item = itemOrThrow(input.itemId);
        assertMarkerWithinItem({ durationSec: item.duration_sec, kind: item.kind }, input.atSec);
        const entry = s.record({
          actor,
          action: 'marker.add',
          subject: item.id,
          sha256: item.sha256,
          details: { markerId: marker.id, atSec: marker.atSec, label: marker.label },
        });
        insertMarker(s.db, { ...marker, custodySeq: entry.seq });
      });
      s.emit('review.changed', { itemId: marker.itemId });
      return marker;
    },
    'markers.remove': (input, call) => {
      const actor = actorOf(call).name;
      const itemId = inTransaction(s.db, () => {
        const marker = getMarker(s.db, input.id);
        if (!marker) throw new AppError('marker.notFound', { id: input.id });
        const item = itemOrThrow(marker.itemId);
        const entry = s.record({
          actor,
          action: 'marker.remove',
          subject: item.id,
          sha256: item.sha256,
          details: { markerId: marker.id, atSec: marker.atSec, label: marker.label },
        });
        markMarkerRemoved(s.db, marker.id, actor, stationTimestamp(s.now()), entry.seq);
        return marker.itemId;
      });
      s.emit('review.changed', { itemId });
      return { ok: true as const };
    },
  };
}
