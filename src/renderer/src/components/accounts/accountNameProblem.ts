import { AccountName } from '../../../../shared/schemas';
import type { Translate } from '../../i18n';

/**
 * What is wrong with an account name as typed, said on the field before anything is sent; null
 * when the engine will take it (the same schema decides). An empty field is not a problem yet:
 * `required` speaks for it.
 */
export function accountNameProblem(t: Translate, name: string): string | null {
  if (name.trim() === '' || AccountName.safeParse(name).success) return null;
  return t('field.accountNameInvalid');
}
