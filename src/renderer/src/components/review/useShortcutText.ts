import { useMemo } from 'react';
import { useI18n } from '../../i18n';
import { ACTION_LABEL, shortcutOf, type KeyChord, type ShortcutAction } from './shortcuts';

export interface ShortcutText {
  /** The action's name: "Play / pause". */
  label(action: ShortcutAction): string;
  /** Its keys: "Space", "Shift+, / [". */
  keys(action: ShortcutAction): string;
  /** Tooltip text: "Play / pause (Space)". */
  title(action: ShortcutAction): string;
  chord(chord: KeyChord): string;
}

/** Names and keys of shortcuts in the current language, from the one shortcut table. */
export function useShortcutText(): ShortcutText {
  const { t } = useI18n();
  return useMemo(() => {
    const chord = (c: KeyChord) => (c.label === 'space' ? t('review.key.space') : c.label);
    const keys = (action: ShortcutAction) => [...new Set(shortcutOf(action).chords.map(chord))].join(' / ');
    const label = (action: ShortcutAction) => t(ACTION_LABEL[action]);
    return {
      label,
      keys,
      chord,
      title: (action) => t('review.withShortcut', { action: label(action), keys: keys(action) }),
    };
  }, [t]);
}
