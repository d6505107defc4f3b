// Characters that render as nothing or reorder the text around them (controls, zero-width, bidi
// overrides and isolates): escaping keeps markup out, not these. A station named
// "\u202Egpj.exe" would read as "exe.jpg" on the page; shown as [U+202E], it reads as what it is.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

/** Text for HTML: every value from a station or an operator goes through here. */
export function escapeHtml(text: string): string {
  return text
    .replace(INVISIBLE, (c) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`)
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A template tag whose interpolations are escaped unless they are already `Html`. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}
