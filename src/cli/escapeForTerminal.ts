/**
 * Makes a name safe to print to a terminal, one line per name. File names, titles and account
 * names come from cameras and people: a name holding a newline could forge an output line
 * ("x\nFAKE: all files verified"), and one holding ESC or CSI could clear the screen or move the
 * cursor over what was printed. Control characters (C0, DEL, C1), line and paragraph separators
 * and bidirectional overrides (which reorder what is shown, as in `gpj.exe`) are written as
 * escapes instead: `\n`, `\r`, `\t`, `\xHH`, `\u{HHHH}`. The backslash itself is doubled where
 * it is not the path separator, so an escape in the output always means an escaped character.
 * `--json` output needs none of this: JSON escapes what it must and scripts read it as data.
 */
export function escapeForTerminal(text: string, opts: { escapeBackslash?: boolean } = {}): string {
  const escapeBackslash = opts.escapeBackslash ?? process.platform !== 'win32';
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += escapeBackslash ? '\\\\' : ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (isInvisibleControl(code)) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out;
}

/** Line/paragraph separators, bidirectional embeddings, overrides and isolates, and the BOM. */
function isInvisibleControl(code: number): boolean {
  return (
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c ||
    code === 0xfeff
  );
}
