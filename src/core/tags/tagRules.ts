import { AppError } from '../../shared/errors';
import type { TagRevision, TagState } from './tagsRepo';

/** How far past the container's duration a range end may reach: rounding of the last frame's time. */
const END_SLACK_SEC = 0.001;

/**
 * A range tag must lie within the item's duration. Items without one (photos, documents) take
 * only whole-item tags. Either end null means a whole-item tag, which fits any item.
 */
export function assertRangeWithinItem(
  item: { durationSec: number | null; kind: string },
  fromSec: number | null,
  toSec: number | null,
): void {
  if (fromSec === null || toSec === null) return;
  const duration = item.kind === 'photo' ? null : item.durationSec;
  if (duration === null || duration <= 0 || toSec > duration + END_SLACK_SEC) {
    throw new AppError('tag.rangeOutside', { fromSec, toSec, durationSec: duration ?? 0 });
  }
}

/** A marker sits on a recording's timeline: within its duration (an item without one takes none). */
export function assertMarkerWithinItem(item: { durationSec: number | null; kind: string }, atSec: number): void {
  const duration = item.kind === 'photo' ? null : item.durationSec;
  if (duration === null || duration <= 0 || atSec > duration + END_SLACK_SEC) {
    throw new AppError('marker.outside', { atSec, durationSec: duration ?? 0 });
  }
}

export function stateOf(revision: TagState): TagState {
  return {
    taxonomyVersion: revision.taxonomyVersion,
    code: revision.code,
    fromSec: revision.fromSec,
    toSec: revision.toSec,
    note: revision.note,
    removed: revision.removed,
  };
}

/**
 * What `tags.undo` does next: revert the latest change that no undo has reverted yet, by going
 * back to the state just before it (each revision holds the full state after its change). An
 * undo is never itself undone, so repeated undos walk further back; undoing the add removes the
 * tag. Null when every change has been undone.
 */
export function planUndo(revisions: readonly TagRevision[]): { reverted: TagRevision; state: TagState } | null {
  const undone = new Set(revisions.flatMap((r) => (r.action === 'undo' && r.undoes !== null ? [r.undoes] : [])));
  for (let i = revisions.length - 1; i >= 0; i--) {
    const r = revisions[i]!;
    if (r.action === 'undo' || undone.has(r.revision)) continue;
    const before = i === 0 ? { ...stateOf(r), removed: true } : stateOf(revisions[i - 1]!);
    return { reverted: r, state: before };
  }
  return null;
}

/** The fields a change touched, as `{field: {from, to}}` for its custody entry. */
export function changedFields(
  before: TagState,
  after: TagState,
): Partial<Record<keyof TagState, { from: unknown; to: unknown }>> {
  const out: Partial<Record<keyof TagState, { from: unknown; to: unknown }>> = {};
  for (const key of Object.keys(after) as (keyof TagState)[]) {
    if (before[key] !== after[key]) out[key] = { from: before[key], to: after[key] };
  }
  return out;
}
