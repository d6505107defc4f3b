/**
 * A key fingerprint (hex) in groups of four for reading aloud and comparing by eye, the way the
 * report and `key show` print it: `1a2b 3c4d …`. Anything already grouped is regrouped the same way.
 */
export function groupFingerprint(hex: string): string {
  const plain = hex.replace(/\s+/g, '').toLowerCase();
  return plain.match(/.{1,4}/g)?.join(' ') ?? '';
}

/** What a person may paste as a fingerprint (spaces, colons, capitals) reduced to plain lowercase hex. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[\s:]+/g, '').toLowerCase();
}
