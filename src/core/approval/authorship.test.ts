import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CASE_AUTHORING_ACTIONS, ITEM_AUTHORING_ACTIONS, NON_AUTHORING_ACTIONS } from './authorship';

/**
 * The four-eyes rule names the custody actions that edit a version. A new action the engine
 * records must be placed on one side or the other, or an edit could slip past the rule: this test
 * reads the engine's sources for every action it records and requires each to be classified.
 */

const CORE = fileURLToPath(new URL('..', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sourceFiles(path)));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

const ACTION_NAME = /^(import|[a-z]+\.[a-zA-Z]+(\.[a-zA-Z]+)?)$/;

/** Every action name the engine's sources hand to a custody append, literal or built. */
async function recordedActions(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const note = (name: string, file: string): void => {
    if (ACTION_NAME.test(name) && !found.has(name)) found.set(name, relative(CORE, file));
  };
  for (const file of await sourceFiles(CORE)) {
    if (file.includes(`${join('approval', 'authorship')}.ts`)) continue;
    const text = await readFile(file, 'utf8');
    for (const line of text.split('\n')) {
      // `action: 'x'`, `action: cond ? 'x' : 'y'` (the strings of that expression only), and the
      // account helpers that pass an `account.*` action along.
      const expression = /\baction:\s*([^,}]+)/.exec(line)?.[1];
      if (expression) for (const m of expression.matchAll(/'([^']+)'/g)) note(m[1]!, file);
      if (/\b(change|createAccount)\(/.test(line))
        for (const m of line.matchAll(/'(account\.[a-zA-Z]+)'/g)) note(m[1]!, file);
      const constant = /export const [A-Z_]+ = '([^']+)'/.exec(line);
      if (constant && /^case\./.test(constant[1]!)) note(constant[1]!, file);
      // Actions built from a kind: clips and stills, and tag revisions.
      if (line.includes('`${f.kind}.create`')) ['clip.create', 'still.create'].forEach((a) => note(a, file));
      if (line.includes('`${f.kind}.duplicate`')) ['clip.duplicate', 'still.duplicate'].forEach((a) => note(a, file));
      if (line.includes('`tag.${action}`')) ['tag.update', 'tag.remove', 'tag.undo'].forEach((a) => note(a, file));
    }
  }
  return found;
}

describe('the four-eyes rule', () => {
  it('classifies every action the engine records as editing a version or not', async () => {
    const classified = new Set<string>([
      ...CASE_AUTHORING_ACTIONS,
      ...ITEM_AUTHORING_ACTIONS,
      ...NON_AUTHORING_ACTIONS,
    ]);
    const found = await recordedActions();
    // The scan finds what it must: a sample of each way an action is written.
    for (const known of ['case.addItem', 'tag.add', 'tag.undo', 'clip.create', 'import.finish', 'case.export.started'])
      expect([...found.keys()], known).toContain(known);
    const unclassified = [...found].filter(([name]) => !classified.has(name) && name !== 'test.action');
    expect(unclassified).toEqual([]);
  });

  it('puts no action on both sides', () => {
    const authoring = new Set<string>([...CASE_AUTHORING_ACTIONS, ...ITEM_AUTHORING_ACTIONS]);
    expect(NON_AUTHORING_ACTIONS.filter((a) => authoring.has(a))).toEqual([]);
    expect(new Set(NON_AUTHORING_ACTIONS).size).toBe(NON_AUTHORING_ACTIONS.length);
  });
});
