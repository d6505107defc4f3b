import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemDetail } from '../../src/shared/schemas';
import { getMediaFixtures } from '../fixtures';
import { openStation, type TestStation } from './harness';

/**
 * An item's custody panel asks for the entries related to it (`custody.list` with `related`):
 * beside the entries about the item itself, the clip cut from it (that entry names the clip) and
 * its addition to and removal from a case (those name the case). The trial found both missing.
 */

let station: TestStation;
let source: ItemDetail;
let other: ItemDetail;

beforeAll(async () => {
  const fx = getMediaFixtures();
  station = await openStation();
  const record = await station.importAndWait([fx.review, fx.photoGps]);
  const idOf = (name: string) => record.files.find((f) => f.originalName === name)?.itemId ?? '';
  source = await station.call('items.get', { id: idOf('review.mp4') });
  other = await station.call('items.get', { id: idOf('photo_gps.jpg') });
});

afterAll(async () => {
  await station?.cleanup();
});

const actionsOf = (entries: { action: string }[]) => entries.map((e) => e.action);

describe("an item's related custody entries", () => {
  it('include the clip cut from it and its addition to and removal from a case, in chain order', async () => {
    const clip = await station.call('clips.create', {
      jobId: 'related-custody-clip',
      itemId: source.id,
      fromSec: 1,
      toSec: 2,
      mode: 'lossless',
    });
    const draft = await station.call('cases.create', { title: 'Related custody' });
    await station.call('cases.addItems', { caseId: draft.id, itemIds: [source.id, other.id] });
    await station.call('cases.removeItem', { caseId: draft.id, itemId: source.id, reason: 'wrong recording' });

    const own = await station.call('custody.list', { subject: source.id, limit: 500 });
    expect(actionsOf(own.entries)).not.toContain('clip.create');
    expect(actionsOf(own.entries)).not.toContain('case.addItem');

    const related = await station.call('custody.list', { subject: source.id, related: true, limit: 500 });
    expect(actionsOf(related.entries)).toEqual([
      ...actionsOf(own.entries).slice(0, 1),
      'clip.create',
      'case.addItem',
      'case.removeItem',
    ]);
    expect(related.total).toBe(related.entries.length);
    const cut = related.entries.find((e) => e.action === 'clip.create');
    expect(cut?.subject).toBe(clip.item.id);
    const added = related.entries.find((e) => e.action === 'case.addItem');
    expect(added).toMatchObject({ subject: draft.id, details: { itemId: source.id } });
    const seqs = related.entries.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("does not take another item's case entries or the clip's own later entries", async () => {
    const related = await station.call('custody.list', { subject: other.id, related: true, limit: 500 });
    const added = related.entries.filter((e) => e.action === 'case.addItem');
    expect(added).toHaveLength(1);
    expect(added[0]?.details).toMatchObject({ itemId: other.id });
    expect(actionsOf(related.entries)).not.toContain('clip.create');
  });
});
