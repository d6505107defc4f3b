import { describe, expect, it } from 'vitest';
import { hasSequence, previewCaseNumber, unknownTokens } from './caseNumberPreview';

const context = { date: new Date(2026, 2, 1, 9, 30), stationName: 'XH-01', seq: 1 };

describe('case number preview', () => {
  it('fills date, station and padded sequence', () => {
    expect(previewCaseNumber('ZF-{YYYY}-{SEQ:5}', context)).toBe('ZF-2026-00001');
    expect(previewCaseNumber('{STATION}/{YYYY}{MM}{DD}/{SEQ}', { ...context, seq: 42 })).toBe('XH-01/20260301/42');
    expect(previewCaseNumber('城管罚字〔{YYYY}〕第{SEQ:4}号', context)).toBe('城管罚字〔2026〕第0001号');
  });

  it('requires a sequence and names unknown placeholders', () => {
    expect(hasSequence('ZF-{YYYY}')).toBe(false);
    expect(hasSequence('ZF-{SEQ:3}')).toBe(true);
    expect(unknownTokens('ZF-{YYY}-{seq}-{SEQ:5}-{MM:2}')).toEqual(['{YYY}', '{seq}', '{MM:2}']);
    expect(unknownTokens('ZF-{YYYY}-{SEQ:5}')).toEqual([]);
  });
});
