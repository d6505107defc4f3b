import { describe, expect, it } from 'vitest';
import { OutcomeGroups } from './outcomeGroups';

interface O {
  ordinal: number;
}

/** Records each commit's ordinals; commits can be made to fail. */
function recorder(fail?: (group: number[]) => boolean) {
  const groups: number[][] = [];
  const commit = async (group: O[]): Promise<void> => {
    const ordinals = group.map((o) => o.ordinal);
    if (fail?.(ordinals)) throw new Error(`commit of ${ordinals.join(',')} failed`);
    groups.push(ordinals);
  };
  return { groups, commit };
}

describe('OutcomeGroups', () => {
  it('commits a full group at once, in ordinal order, whatever order the outcomes came in', async () => {
    const r = recorder();
    // A wait no test would reach: only the size can have flushed.
    const g = new OutcomeGroups<O>(r.commit, { maxFiles: 3, maxWaitMs: 3_600_000 });
    const done = [2, 0, 1].map((ordinal) => g.add({ ordinal }));
    await Promise.all(done);
    expect(r.groups).toEqual([[0, 1, 2]]);
    await g.end();
  });

  it('holds an outcome until every earlier one is ready', async () => {
    const r = recorder();
    const g = new OutcomeGroups<O>(r.commit, { maxFiles: 2, maxWaitMs: 3_600_000 });
    const later = g.add({ ordinal: 1 });
    g.flushNow();
    await Promise.resolve();
    expect(r.groups).toEqual([]);
    const first = g.add({ ordinal: 0 });
    await Promise.all([first, later]);
    expect(r.groups).toEqual([[0, 1]]);
    await g.end();
  });

  it('commits a lone outcome after the short wait, without anything else arriving', async () => {
    const r = recorder();
    const g = new OutcomeGroups<O>(r.commit, { maxFiles: 16, maxWaitMs: 5 });
    await g.add({ ordinal: 0 });
    expect(r.groups).toEqual([[0]]);
    await g.end();
  });

  it('commits what is left on end, and splits a long run into groups of the largest size', async () => {
    const r = recorder();
    const g = new OutcomeGroups<O>(r.commit, { maxFiles: 4, maxWaitMs: 3_600_000 });
    const done = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((ordinal) => g.add({ ordinal }));
    await g.end();
    await Promise.all(done);
    expect(r.groups).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('fails the outcomes of a failed commit, and only those', async () => {
    const r = recorder((group) => group.includes(1));
    const g = new OutcomeGroups<O>(r.commit, { maxFiles: 2, maxWaitMs: 3_600_000 });
    const done = [0, 1, 2, 3].map((ordinal) => g.add({ ordinal }));
    await g.end();
    const settled = await Promise.allSettled(done);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect(r.groups).toEqual([[2, 3]]);
  });

  it('refuses an ordinal handed over twice, and an end with a file missing', async () => {
    const g = new OutcomeGroups<O>(recorder().commit, { maxFiles: 4, maxWaitMs: 3_600_000 });
    void g.add({ ordinal: 0 });
    await expect(g.add({ ordinal: 0 })).rejects.toThrow('handed over twice');
    const orphan = g.add({ ordinal: 2 });
    orphan.catch(() => undefined);
    await expect(g.end()).rejects.toThrow('no outcome for file 1');
    await expect(orphan).rejects.toThrow('no outcome for file 1');
  });
});
