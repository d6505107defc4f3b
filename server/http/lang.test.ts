import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { pickLang } from './lang';

function pick(acceptLanguage: string | undefined, query = ''): string {
  const req = { headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage } } as IncomingMessage;
  return pickLang(req, new URL(`http://x/${query}`));
}

describe('pickLang', () => {
  it('takes ?lang= first, then the most preferred language we have, else English', () => {
    expect(pick('en', '?lang=zh-CN')).toBe('zh-CN');
    expect(pick('zh-CN', '?lang=en')).toBe('en');
    expect(pick('zh-TW,zh;q=0.8,en;q=0.5')).toBe('zh-CN');
    expect(pick('fr-FR,en;q=0.3,zh;q=0.2')).toBe('en');
    expect(pick('en;q=0.2,zh;q=0.9')).toBe('zh-CN');
    expect(pick('zh;q=0')).toBe('en');
    expect(pick(undefined, '?lang=de')).toBe('en');
  });
});
