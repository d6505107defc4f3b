/**
 * The shape of a case number, worked out in the UI for the admin's live preview. The station
 * makes the real numbers (src/core/cases); this mirrors its placeholders as documented on
 * `Settings.caseNumberFormat` in src/shared/schemas.ts.
 */

const TOKEN = /\{([A-Z]+)(?::(\d+))?\}/g;
const KNOWN = new Set(['YYYY', 'MM', 'DD', 'STATION', 'SEQ']);

export interface NumberContext {
  /** The station's local date. */
  date: Date;
  stationName: string;
  seq: number;
}

export function previewCaseNumber(format: string, { date, stationName, seq }: NumberContext): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return format.replace(TOKEN, (whole, name: string, width?: string) => {
    switch (name) {
      case 'YYYY':
        return pad(date.getFullYear(), 4);
      case 'MM':
        return pad(date.getMonth() + 1, 2);
      case 'DD':
        return pad(date.getDate(), 2);
      case 'STATION':
        return stationName;
      case 'SEQ':
        return pad(seq, width ? Number(width) : 1);
      default:
        return whole;
    }
  });
}

export function hasSequence(format: string): boolean {
  return /\{SEQ(:[1-9])?\}/.test(format);
}

/** Placeholders the station would not fill, such as a typo `{YYY}` or lower case `{seq}`. */
export function unknownTokens(format: string): string[] {
  const found = [...format.matchAll(/\{[^{}]*\}/g)].map((m) => m[0]);
  return found.filter((token) => {
    const match = /^\{([A-Z]+)(?::(\d+))?\}$/.exec(token);
    if (!match || !KNOWN.has(match[1]!)) return true;
    return match[2] !== undefined && (match[1] !== 'SEQ' || !/^[1-9]$/.test(match[2]));
  });
}
