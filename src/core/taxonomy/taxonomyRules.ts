import { AppError } from '../../shared/errors';
import type { ViolationType } from '../../shared/reviewSchemas';

/** What a new taxonomy version changes against the one before, for its custody entry. */
export interface TaxonomyDiff {
  added: string[];
  renamed: string[];
  retired: string[];
  restored: string[];
  legalBasisChanged: string[];
}

export function diffTaxonomy(previous: readonly ViolationType[], next: readonly ViolationType[]): TaxonomyDiff {
  const before = new Map(previous.map((t) => [t.code, t]));
  const diff: TaxonomyDiff = { added: [], renamed: [], retired: [], restored: [], legalBasisChanged: [] };
  for (const t of next) {
    const old = before.get(t.code);
    if (!old) {
      diff.added.push(t.code);
      continue;
    }
    if (old.nameZh !== t.nameZh || old.nameEn !== t.nameEn) diff.renamed.push(t.code);
    if (!old.retired && t.retired) diff.retired.push(t.code);
    if (old.retired && !t.retired) diff.restored.push(t.code);
    if (old.legalBasis !== t.legalBasis) diff.legalBasisChanged.push(t.code);
  }
  return diff;
}

/**
 * A code that any version has held stays in every later one: tags made with it must keep a type
 * to point at, and a reused code must not change its meaning silently. Retire it instead.
 */
export function assertNoTypeRemoved(everUsed: ReadonlySet<string>, next: readonly ViolationType[]): void {
  const kept = new Set(next.map((t) => t.code));
  for (const code of [...everUsed].sort()) {
    if (!kept.has(code)) throw new AppError('taxonomy.typeRemoved', { code });
  }
}

/** The type a new tag may use: present and not retired in the given version. */
export function assertUsableType(type: ViolationType | null, code: string): ViolationType {
  if (!type) throw new AppError('taxonomy.unknownCode', { code });
  if (type.retired) throw new AppError('taxonomy.retired', { code });
  return type;
}
