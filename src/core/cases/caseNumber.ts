import { AppError } from '../../shared/errors';

/**
 * Case numbers from the station's format (`settings.caseNumberFormat`), e.g. `ZF-{YYYY}-{SEQ:5}`:
 * `{YYYY}` `{MM}` `{DD}` are the station's local date, `{STATION}` its name, `{SEQ}` the running
 * number (`{SEQ:n}` zero-padded to n digits). The running number counts per scope: the number
 * with everything but `{SEQ}` filled in, so a format with `{YYYY}` starts again at 1 each year.
 */

export interface CaseNumberContext {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
  station: string;
}

const PLACEHOLDER = /\{[^{}]*\}/g;
const SEQ = /^\{SEQ(?::([1-9]))?\}$/;
// A case number is printed on reports, written into bag-info.txt (one line) and shown in the CLI:
// no control character (C0, DEL, C1) and nothing that renders as nothing or reorders the text.
const UNPRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/gu;

/** The station's local calendar date of an instant (the process's time zone is the station's). */
export function localDateOf(at: Date): Pick<CaseNumberContext, 'year' | 'month' | 'day'> {
  return { year: at.getFullYear(), month: at.getMonth() + 1, day: at.getDate() };
}

/** Throws `case.numberFormat` unless the format has a `{SEQ}` and only known placeholders. */
export function validateCaseNumberFormat(format: string): void {
  const placeholders = format.match(PLACEHOLDER) ?? [];
  const known = (p: string) => SEQ.test(p) || ['{YYYY}', '{MM}', '{DD}', '{STATION}'].includes(p);
  const unprintable = new RegExp(UNPRINTABLE.source, 'u').test(format);
  if (unprintable || !placeholders.some((p) => SEQ.test(p)) || !placeholders.every(known)) {
    throw new AppError('case.numberFormat', { format });
  }
}

function fill(format: string, ctx: CaseNumberContext, seq: number | null): string {
  validateCaseNumberFormat(format);
  const pad2 = (n: number) => String(n).padStart(2, '0');
  return format.replace(PLACEHOLDER, (p) => {
    const seqMatch = SEQ.exec(p);
    if (seqMatch) return seq === null ? p : String(seq).padStart(Number(seqMatch[1] ?? 1), '0');
    switch (p) {
      case '{YYYY}':
        return String(ctx.year).padStart(4, '0');
      case '{MM}':
        return pad2(ctx.month);
      case '{DD}':
        return pad2(ctx.day);
      default:
        return ctx.station.replace(UNPRINTABLE, '_');
    }
  });
}

/** The sequence scope: the number with the `{SEQ}` placeholder left as written. */
export function caseNumberScope(format: string, ctx: CaseNumberContext): string {
  return fill(format, ctx, null);
}

export function formatCaseNumber(format: string, ctx: CaseNumberContext, seq: number): string {
  return fill(format, ctx, seq);
}
