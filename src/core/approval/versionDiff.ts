import type { CaseJson, DiffItem, DiffTag, PackageItem, VersionDiff } from '../../shared/sealSchemas';
import { canonicalJson } from '../util/canonicalJson';

/**
 * What changed between two frozen `case.json` snapshots of a case: items added and removed (by
 * item id, which names the same stored bytes), tags added, removed and changed (by tag id; a tag
 * on an item that left the case leaves with it), and the case's own fields. Pure: the same two
 * snapshots always give the same answer, in a stable order (items and tags as the later snapshot
 * lists them, removals as the earlier one did).
 */
export function diffVersions(previous: CaseJson | null, current: CaseJson): VersionDiff {
  const before = previous?.items ?? [];
  const after = current.items;
  const beforeIds = new Set(before.map((i) => i.id));
  const afterIds = new Set(after.map((i) => i.id));

  const beforeTags = tagsOf(before);
  const afterTags = tagsOf(after);
  const tagsChanged: VersionDiff['tagsChanged'] = [];
  for (const [id, tag] of afterTags) {
    const old = beforeTags.get(id);
    if (!old) continue;
    const fields = TAG_FIELDS.filter((f) => old[f] !== tag[f]);
    if (fields.length > 0) tagsChanged.push({ before: old, after: tag, fields });
  }

  return {
    caseId: current.case.id,
    caseNumber: current.case.number,
    version: current.case.version,
    previousVersion: previous?.case.version ?? null,
    itemsAdded: after.filter((i) => !beforeIds.has(i.id)).map(diffItem),
    itemsRemoved: before.filter((i) => !afterIds.has(i.id)).map(diffItem),
    tagsAdded: [...afterTags.values()].filter((t) => !beforeTags.has(t.id)),
    tagsRemoved: [...beforeTags.values()].filter((t) => !afterTags.has(t.id)),
    tagsChanged,
    fields: {
      title: change(previous, current, (c) => c.case.title),
      place: change(previous, current, (c) => c.case.place),
      occurredAt: change(previous, current, (c) => c.case.occurredAt),
      parties: change(previous, current, (c) => c.case.parties),
      notes: change(previous, current, (c) => c.case.notes),
    },
  };
}

const TAG_FIELDS = ['code', 'taxonomyVersion', 'fromSec', 'toSec', 'note'] as const;

function diffItem(item: PackageItem): DiffItem {
  return { id: item.id, origin: item.origin, sha256: item.sha256, originalName: item.originalName };
}

function tagsOf(items: readonly PackageItem[]): Map<string, DiffTag> {
  const out = new Map<string, DiffTag>();
  for (const item of items)
    for (const t of item.tags)
      out.set(t.id, {
        id: t.id,
        itemId: item.id,
        itemName: item.originalName,
        code: t.code,
        label: t.label,
        taxonomyVersion: t.taxonomyVersion,
        fromSec: t.fromSec,
        toSec: t.toSec,
        note: t.note,
        updatedBy: t.updatedBy,
      });
  return out;
}

/** `{ before, after }` when the field differs; null when it is the same (or there is no earlier version). */
function change<T>(
  previous: CaseJson | null,
  current: CaseJson,
  pick: (c: CaseJson) => T,
): { before: T; after: T } | null {
  if (!previous) return null;
  const before = pick(previous);
  const after = pick(current);
  return canonicalJson(before) === canonicalJson(after) ? null : { before, after };
}
