import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { caseNumberScope, formatCaseNumber, localDateOf, validateCaseNumberFormat } from './caseNumber';

const ctx = { year: 2026, month: 3, day: 1, station: 'East-1' };

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? error.code : String(error);
  }
};

describe('formatCaseNumber', () => {
  it('fills the date, the station and the zero-padded sequence', () => {
    expect(formatCaseNumber('ZF-{YYYY}-{SEQ:5}', ctx, 42)).toBe('ZF-2026-00042');
    expect(formatCaseNumber('{STATION}/{YYYY}{MM}{DD}/{SEQ:3}', ctx, 7)).toBe('East-1/20260301/007');
    expect(formatCaseNumber('{SEQ}', ctx, 12345)).toBe('12345');
  });

  it('never cuts a sequence longer than its width', () => {
    expect(formatCaseNumber('A{SEQ:2}', ctx, 1234)).toBe('A1234');
  });

  it('leaves the sequence in the scope, so each year (or day) counts on its own', () => {
    expect(caseNumberScope('ZF-{YYYY}-{SEQ:5}', ctx)).toBe('ZF-2026-{SEQ:5}');
    expect(caseNumberScope('ZF-{YYYY}-{SEQ:5}', { ...ctx, year: 2027 })).toBe('ZF-2027-{SEQ:5}');
    expect(caseNumberScope('{YYYY}{MM}{DD}-{SEQ}', ctx)).toBe('20260301-{SEQ}');
  });

  it('refuses formats without a sequence or with unknown placeholders', () => {
    expect(codeOf(() => validateCaseNumberFormat('ZF-{YYYY}'))).toBe('case.numberFormat');
    expect(codeOf(() => validateCaseNumberFormat('ZF-{yyyy}-{SEQ}'))).toBe('case.numberFormat');
    expect(codeOf(() => validateCaseNumberFormat('ZF-{SEQ:0}'))).toBe('case.numberFormat');
    expect(codeOf(() => formatCaseNumber('{YEAR}-{SEQ}', ctx, 1))).toBe('case.numberFormat');
    expect(codeOf(() => validateCaseNumberFormat('ZF-{SEQ:9}'))).toBe('ok');
  });

  it('reads the local calendar date of an instant', () => {
    const at = new Date(2026, 0, 2, 23, 59, 0);
    expect(localDateOf(at)).toEqual({ year: 2026, month: 1, day: 2 });
  });
});
