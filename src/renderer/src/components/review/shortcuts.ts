import type { MessageKey } from '../../i18n';

/**
 * The workspace's keyboard shortcuts: the one table the key handler, the help overlay and the
 * buttons' tooltips all read, so what is documented is what works.
 *
 * Keys are matched by physical position (`KeyboardEvent.code`), not by the character typed: with a
 * Chinese input method switched on, letter keys report `Process` as their character but keep
 * their code, and the shortcuts must work either way.
 */

export type ShortcutAction =
  | 'playPause'
  | 'shuttleReverse'
  | 'stop'
  | 'shuttleForward'
  | 'frameBack'
  | 'frameForward'
  | 'keyframePrev'
  | 'keyframeNext'
  | 'seekBack'
  | 'seekForward'
  | 'seekBackLong'
  | 'seekForwardLong'
  | 'goStart'
  | 'goEnd'
  | 'markIn'
  | 'markOut'
  | 'goIn'
  | 'goOut'
  | 'clearRange'
  | 'marker'
  | 'still'
  | 'goTo'
  | 'zoomIn'
  | 'zoomOut'
  | 'zoomFit'
  | 'undoTag'
  | 'help';

export type ShortcutGroup = 'playback' | 'navigate' | 'range' | 'evidence' | 'view';

export interface KeyChord {
  code: string;
  /** Must Shift be held; `any` for keys whose character needs Shift on some layouts (`+`). */
  shift?: boolean | 'any';
  /** Ctrl (or ⌘ on a Mac). */
  ctrl?: boolean;
  /** What the key is called on the key cap; `space` is translated. */
  label: string;
}

export interface Shortcut {
  action: ShortcutAction;
  group: ShortcutGroup;
  chords: readonly KeyChord[];
  /** Held keys repeat (stepping through frames); one-shot actions ignore the repeats. */
  repeats?: boolean;
}

const key = (code: string, label: string, mods: Omit<KeyChord, 'code' | 'label'> = {}): KeyChord => ({
  code,
  label,
  ...mods,
});

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'playPause', group: 'playback', chords: [key('Space', 'space')] },
  { action: 'shuttleReverse', group: 'playback', chords: [key('KeyJ', 'J')] },
  { action: 'stop', group: 'playback', chords: [key('KeyK', 'K')] },
  { action: 'shuttleForward', group: 'playback', chords: [key('KeyL', 'L')] },
  { action: 'frameBack', group: 'navigate', chords: [key('Comma', ',')], repeats: true },
  { action: 'frameForward', group: 'navigate', chords: [key('Period', '.')], repeats: true },
  { action: 'keyframePrev', group: 'navigate', chords: [key('Comma', 'Shift+,', { shift: true })], repeats: true },
  { action: 'keyframeNext', group: 'navigate', chords: [key('Period', 'Shift+.', { shift: true })], repeats: true },
  { action: 'seekBack', group: 'navigate', chords: [key('ArrowLeft', '←')], repeats: true },
  { action: 'seekForward', group: 'navigate', chords: [key('ArrowRight', '→')], repeats: true },
  { action: 'seekBackLong', group: 'navigate', chords: [key('ArrowLeft', 'Shift+←', { shift: true })], repeats: true },
  {
    action: 'seekForwardLong',
    group: 'navigate',
    chords: [key('ArrowRight', 'Shift+→', { shift: true })],
    repeats: true,
  },
  { action: 'goStart', group: 'navigate', chords: [key('Home', 'Home')] },
  { action: 'goEnd', group: 'navigate', chords: [key('End', 'End')] },
  { action: 'goTo', group: 'navigate', chords: [key('KeyG', 'G')] },
  { action: 'markIn', group: 'range', chords: [key('KeyI', 'I')] },
  { action: 'markOut', group: 'range', chords: [key('KeyO', 'O')] },
  { action: 'goIn', group: 'range', chords: [key('KeyI', 'Shift+I', { shift: true })] },
  { action: 'goOut', group: 'range', chords: [key('KeyO', 'Shift+O', { shift: true })] },
  { action: 'clearRange', group: 'range', chords: [key('KeyX', 'X')] },
  { action: 'marker', group: 'evidence', chords: [key('KeyM', 'M')] },
  { action: 'still', group: 'evidence', chords: [key('KeyS', 'S')] },
  { action: 'undoTag', group: 'evidence', chords: [key('KeyZ', 'Ctrl+Z', { ctrl: true })] },
  {
    action: 'zoomIn',
    group: 'view',
    chords: [key('Equal', '+', { shift: 'any' }), key('NumpadAdd', '+')],
    repeats: true,
  },
  { action: 'zoomOut', group: 'view', chords: [key('Minus', '-'), key('NumpadSubtract', '-')], repeats: true },
  { action: 'zoomFit', group: 'view', chords: [key('Digit0', '0'), key('Numpad0', '0')] },
  { action: 'help', group: 'view', chords: [key('Slash', '?', { shift: true }), key('F1', 'F1')] },
];

export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = ['playback', 'navigate', 'range', 'evidence', 'view'];

/** The action a key press means, or null; holds of one-shot keys are ignored. */
export function matchShortcut(
  event: Pick<KeyboardEvent, 'code' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'altKey' | 'repeat'>,
): ShortcutAction | null {
  if (event.altKey) return null;
  const ctrl = event.ctrlKey || event.metaKey;
  for (const shortcut of SHORTCUTS) {
    for (const chord of shortcut.chords) {
      if (chord.code !== event.code) continue;
      if ((chord.ctrl ?? false) !== ctrl) continue;
      if (chord.shift !== 'any' && (chord.shift ?? false) !== event.shiftKey) continue;
      if (event.repeat && !shortcut.repeats) return null;
      return shortcut.action;
    }
  }
  return null;
}

/** Typing in a field or working in a dialog is never a shortcut. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target.closest('[role="dialog"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return type !== 'checkbox' && type !== 'radio' && type !== 'button' && type !== 'range';
}

export function shortcutOf(action: ShortcutAction): Shortcut {
  const shortcut = SHORTCUTS.find((s) => s.action === action);
  if (!shortcut) throw new Error(`no shortcut ${action}`);
  return shortcut;
}

/** The message that names each action (help overlay rows and tooltips). */
export const ACTION_LABEL: Record<ShortcutAction, MessageKey> = {
  playPause: 'review.action.playPause',
  shuttleReverse: 'review.action.shuttleReverse',
  stop: 'review.action.stop',
  shuttleForward: 'review.action.shuttleForward',
  frameBack: 'review.action.frameBack',
  frameForward: 'review.action.frameForward',
  keyframePrev: 'review.action.keyframePrev',
  keyframeNext: 'review.action.keyframeNext',
  seekBack: 'review.action.seekBack',
  seekForward: 'review.action.seekForward',
  seekBackLong: 'review.action.seekBackLong',
  seekForwardLong: 'review.action.seekForwardLong',
  goStart: 'review.action.goStart',
  goEnd: 'review.action.goEnd',
  markIn: 'review.action.markIn',
  markOut: 'review.action.markOut',
  goIn: 'review.action.goIn',
  goOut: 'review.action.goOut',
  clearRange: 'review.action.clearRange',
  marker: 'review.action.marker',
  still: 'review.action.still',
  goTo: 'review.action.goTo',
  zoomIn: 'review.action.zoomIn',
  zoomOut: 'review.action.zoomOut',
  zoomFit: 'review.action.zoomFit',
  undoTag: 'review.action.undoTag',
  help: 'review.action.help',
};

export const GROUP_LABEL: Record<ShortcutGroup, MessageKey> = {
  playback: 'review.shortcutGroup.playback',
  navigate: 'review.shortcutGroup.navigate',
  range: 'review.shortcutGroup.range',
  evidence: 'review.shortcutGroup.evidence',
  view: 'review.shortcutGroup.view',
};
