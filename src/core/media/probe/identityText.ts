import { visibleText } from '../../report/reportText';

/**
 * Make, model, serial and firmware come from tags anyone can write into a file. They are shown in
 * the detail pane, in search and filters, in reports and on the command line, so a value holding a
 * terminal escape, a bidirectional override (`Evil\u202Egpj.exe`) or 100 KB of text must not reach
 * those places as it is. Disguising characters are written as `[U+XXXX]` (the report's convention,
 * so the anomaly stays visible), and a value longer than any camera writes is cut, marked with `…`.
 * The original file keeps the exact bytes.
 */

/** Longest identity text kept, in characters (an iPhone's model is 13, a GoPro serial 14). */
export const MAX_IDENTITY_CHARS = 128;

export function identityText(value: string): string | undefined {
  const visible = visibleText(value.trim());
  if (visible === '') return undefined;
  const chars = [...visible];
  return chars.length <= MAX_IDENTITY_CHARS ? visible : `${chars.slice(0, MAX_IDENTITY_CHARS - 1).join('')}…`;
}
