import type { CaseItem, Tag } from '../../../../shared/reviewSchemas';
import type { Locale } from '../../../../shared/schemas';
import type { Translate } from '../../i18n';

/** What an item of a case is: a clip or still says so; an original says its media kind. */
export function evidenceKindLabel(entry: CaseItem, t: Translate): string {
  if (entry.derivation?.kind === 'clip') return t('evidence.kindClip');
  if (entry.derivation?.kind === 'still') return t('evidence.kindStill');
  return t(`kind.${entry.item.kind}`);
}

/** A tag's name as its own taxonomy version had it, in the reader's language. */
export function tagName(tag: Pick<Tag, 'nameZh' | 'nameEn'>, locale: Locale): string {
  return locale === 'zh-CN' ? tag.nameZh : tag.nameEn;
}
