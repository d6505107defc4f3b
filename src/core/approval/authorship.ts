import type { ReadableDB } from '../db/database';

/**
 * Who worked on a sealed version, from the custody log: the four-eyes rule says nobody approves or
 * rejects a version they sealed or edited.
 *
 * The rule. A person edited version N of a case when the custody log holds, at or before version
 * N's `case.seal` entry, an entry by them that shaped what version N's package says:
 *
 * - with the case as subject: `case.create`, `case.update` (title, place, time, parties, notes),
 *   `case.addItem`, `case.removeItem`: the case's description and which evidence it holds;
 * - with one of version N's items as subject: `tag.add`, `tag.update`, `tag.remove`, `tag.undo`
 *   (the tags and their notes in `case.json`), `item.correctTime` (the recorded time and its
 *   corrections), `clip.create` / `still.create` (the person who cut a clip or took a still the
 *   version holds made that evidence).
 *
 * Not counted: importing (bringing in the camera's bytes is not editing them), views, markers
 * (review aids that no package holds), a repeated cut of bytes that already existed
 * (`clip.duplicate`), exports, reopening and rejecting (they add nothing to the next version's
 * content, so the supervisor who sent a version back may review its correction), approvals and
 * sync steps. Entries of earlier drafts count too: what they shaped is still in version N (a title
 * set in version 1, a tag kept since). An item's tag history counts whenever it was made, even
 * before the item joined the case, for the same reason. `authorship.test.ts` holds every action
 * the engine records to one of these two lists, so a new action cannot slip past the rule.
 */

export const CASE_AUTHORING_ACTIONS = ['case.create', 'case.update', 'case.addItem', 'case.removeItem'] as const;

export const ITEM_AUTHORING_ACTIONS = [
  'tag.add',
  'tag.update',
  'tag.remove',
  'tag.undo',
  'item.correctTime',
  'clip.create',
  'still.create',
] as const;

/** Actions the engine records that do not shape a version's content (see above). */
export const NON_AUTHORING_ACTIONS = [
  'account.changePassword',
  'account.create',
  'account.disable',
  'account.enable',
  'account.endSessions',
  'account.lockedOut',
  'account.liftLockout',
  'account.resetPassword',
  'account.setOfficerNumber',
  'account.setRole',
  'account.setupAdmin',
  'auth.signIn',
  'auth.signOut',
  'case.approve',
  'case.export',
  'case.export.failed',
  'case.export.interrupted',
  'case.export.started',
  'case.queue',
  'case.reject',
  'case.reopen',
  'case.seal',
  'case.sync',
  'case.syncRefused',
  'clip.duplicate',
  'custody.acknowledge',
  'import',
  'import.cancel',
  'import.duplicate',
  'import.failed',
  'import.finish',
  'import.interrupted',
  'import.start',
  'item.view',
  'key.create',
  'key.import',
  'marker.add',
  'marker.remove',
  'seal.hashMismatch',
  'settings.update',
  'station.repairModes',
  'still.duplicate',
  'store.quarantineResolved',
  'store.quarantined',
  // The sync worker's (h-outbox): enrolment, sync settings, a stored receipt.
  'sync.enrol',
  'sync.receipt',
  'sync.settings',
  'taxonomy.install',
  'taxonomy.update',
] as const;

export interface AuthoringEntry {
  seq: number;
  action: string;
}

/**
 * The first custody entry by `actor`, at or before `upToSeq` (the version's `case.seal` entry),
 * that edited the version: on the case itself, or on one of `itemIds` (the version's items, from
 * its frozen `case.json`). Null when there is none.
 */
export function firstAuthoringEntry(
  db: ReadableDB,
  q: { caseId: string; itemIds: readonly string[]; upToSeq: number; actor: string },
): AuthoringEntry | null {
  const caseActions = JSON.stringify(CASE_AUTHORING_ACTIONS);
  const itemActions = JSON.stringify(ITEM_AUTHORING_ACTIONS);
  const row = db
    .prepare(
      `SELECT seq, action FROM custody
       WHERE actor = @actor AND seq <= @upToSeq AND (
         (subject = @caseId AND action IN (SELECT value FROM json_each(@caseActions)))
         OR (subject IN (SELECT value FROM json_each(@itemIds)) AND action IN (SELECT value FROM json_each(@itemActions))))
       ORDER BY seq LIMIT 1`,
    )
    .get({
      actor: q.actor,
      upToSeq: q.upToSeq,
      caseId: q.caseId,
      itemIds: JSON.stringify(q.itemIds),
      caseActions,
      itemActions,
    }) as AuthoringEntry | undefined;
  return row ?? null;
}
