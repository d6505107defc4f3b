import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../../shared/errors';
import { ImportReasonCode } from '../../../shared/schemas';
import { en } from './en';
import { interpolate } from './translate';
import { zhCN } from './zh-CN';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('zh-CN and en have exactly the same keys', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });

  it('every message is non-empty and uses the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(en[key].trim(), key).not.toBe('');
      expect(zhCN[key].trim(), key).not.toBe('');
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it('covers every error code of the catalogue', () => {
    for (const code of Object.keys(ERROR_CATALOGUE)) {
      expect(en, code).toHaveProperty([`errors.${code}`]);
      expect(zhCN, code).toHaveProperty([`errors.${code}`]);
    }
  });

  it('covers every import reason code', () => {
    for (const code of ImportReasonCode.options) {
      expect(en, code).toHaveProperty([`reason.${code}`]);
      expect(zhCN, code).toHaveProperty([`reason.${code}`]);
    }
  });
});

describe('interpolate', () => {
  it('fills named placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{done} of {total} files', { done: 2, total: 5 })).toBe('2 of 5 files');
    expect(interpolate('账户 {name} 已创建。', { name: '0451023' })).toBe('账户 0451023 已创建。');
    expect(interpolate('{missing} here', {})).toBe('{missing} here');
  });
});
