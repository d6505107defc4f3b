import type { Translate } from '../i18n';
import { custodyActionsEn } from '../i18n/custodyActions';

/** A custody action in words; an action this UI does not know (a newer engine's) shows as its code. */
export function custodyActionLabel(t: Translate, action: string): string {
  const key = `custodyAction.${action}`;
  return key in custodyActionsEn ? t(key as keyof typeof custodyActionsEn) : action;
}
