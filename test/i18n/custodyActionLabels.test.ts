import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { custodyActionsEn, custodyActionsZhCN } from '../../src/renderer/src/i18n/custodyActions';
import { en } from '../../src/renderer/src/i18n/en';
import { zhCN } from '../../src/renderer/src/i18n/zh-CN';

/**
 * Reads the engine's sources for every custody action it can write, so a new action without a
 * label in both languages fails here instead of showing as a raw code in the custody panel.
 */
const ENGINE = path.resolve(import.meta.dirname, '../../src/core');

/** Actions written through a template: each template's possible values, listed by hand. */
const TEMPLATE_EXPANSIONS: Record<string, string[]> = {
  '`${f.kind}.create`': ['clip.create', 'still.create'],
  '`${f.kind}.duplicate`': ['clip.duplicate', 'still.duplicate'],
  '`tag.${action}`': ['tag.update', 'tag.remove', 'tag.undo'],
};
/**
 * Expressions that pass an action through (their literal values are found at the callers) or
 * read one back from the log (an error's parameter, a row mapped to its type).
 */
const PASS_THROUGH = new Set(['action', 'step.action', 'edited.action', 'row.action']);
/** `action:` fields that are not custody actions. */
const NOT_CUSTODY = new Set(['add' /* a tag revision's kind (tag_revisions.action) */]);

function engineSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return engineSources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const literals = (text: string) => [...text.matchAll(/'([a-zA-Z.]+)'/g)].map((m) => m[1] ?? '');

function writtenActions(): { actions: Set<string>; unresolved: string[] } {
  const files = engineSources(ENGINE).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const constants = new Map<string, string>();
  for (const { text } of files)
    for (const m of text.matchAll(/const ([A-Z_]+) = '([a-zA-Z.]+)';/g)) constants.set(m[1] ?? '', m[2] ?? '');
  const actions = new Set<string>();
  const unresolved: string[] = [];
  for (const { file, text } of files) {
    for (const m of text.matchAll(/\baction\??:\s*(`[^`]*`|[^,;{}\n]+)/g)) {
      const expr = (m[1] ?? '').trim();
      if (/^(string|TagAction|Exclude<)/.test(expr) || expr.startsWith('z.')) continue;
      if (expr.startsWith('`')) {
        const expanded = TEMPLATE_EXPANSIONS[expr];
        if (expanded) expanded.forEach((a) => actions.add(a));
        else unresolved.push(`${path.relative(ENGINE, file)}: ${expr}`);
      } else if (expr.includes("'")) {
        // In `cond ? 'a' : 'b'` the condition's literals are not actions.
        literals(expr.includes('?') ? expr.slice(expr.indexOf('?')) : expr).forEach((a) => actions.add(a));
      } else if (constants.has(expr)) actions.add(constants.get(expr) ?? expr);
      else if (!PASS_THROUGH.has(expr)) unresolved.push(`${path.relative(ENGINE, file)}: ${expr}`);
    }
    // Actions handed to the helpers that write them (`change(name, actor, 'account.x', …)`).
    for (const m of text.matchAll(/\b(?:change|createAccount)\((.*)/g))
      literals(m[1] ?? '')
        .filter((a) => a.startsWith('account.'))
        .forEach((a) => actions.add(a));
  }
  for (const a of NOT_CUSTODY) actions.delete(a);
  return { actions, unresolved };
}

describe('custody action labels', () => {
  const { actions, unresolved } = writtenActions();

  it('finds the actions the engine writes (the scan itself works)', () => {
    for (const known of ['import', 'item.view', 'tag.add', 'clip.create', 'case.addItem', 'account.disable'])
      expect(actions, known).toContain(known);
    expect(unresolved).toEqual([]);
  });

  it('labels every action the engine writes, in English and Chinese', () => {
    const missing = [...actions].filter(
      (a) => !(`custodyAction.${a}` in custodyActionsEn) || !(`custodyAction.${a}` in custodyActionsZhCN),
    );
    expect(missing).toEqual([]);
    // And no label for an action the engine no longer writes (a renamed action would keep both).
    const stale = Object.keys(custodyActionsEn).filter((k) => !actions.has(k.slice('custodyAction.'.length)));
    expect(stale).toEqual([]);
    for (const a of actions) {
      const key = `custodyAction.${a}` as keyof typeof en;
      expect(en[key], a).toBeTruthy();
      expect(zhCN[key], a).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
