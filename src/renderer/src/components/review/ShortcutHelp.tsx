import { useI18n } from '../../i18n';
import { Dialog } from '../common/Dialog';
import { GROUP_LABEL, SHORTCUT_GROUPS, SHORTCUTS } from './shortcuts';
import { useShortcutText } from './useShortcutText';

/** Every shortcut, grouped, read from the same table the key handler uses. */
export function ShortcutHelp({ onClose }: { onClose(): void }) {
  const { t } = useI18n();
  const text = useShortcutText();
  return (
    <Dialog title={t('review.shortcuts')} onClose={onClose} wide testId="shortcut-help">
      <div className="shortcut-groups">
        {SHORTCUT_GROUPS.map((group) => (
          <section key={group} className="shortcut-group">
            <h3>{t(GROUP_LABEL[group])}</h3>
            <dl>
              {SHORTCUTS.filter((s) => s.group === group).map((shortcut) => (
                <div key={shortcut.action} className="shortcut-row" data-testid="shortcut-row">
                  <dt>
                    {[...new Set(shortcut.chords.map(text.chord))].map((label) => (
                      <kbd key={label}>{label}</kbd>
                    ))}
                  </dt>
                  <dd>{text.label(shortcut.action)}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
      <p className="muted small shortcut-notes">{t('review.shortcutNotes')}</p>
    </Dialog>
  );
}
