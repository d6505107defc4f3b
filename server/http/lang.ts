import type { IncomingMessage } from 'node:http';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/** `?lang=` when given, else the first language the client prefers that we have, else English. */
export function pickLang(req: IncomingMessage, url: URL): Lang {
  const asked = url.searchParams.get('lang');
  if (asked === 'en' || asked === 'zh-CN') return asked;
  const header = req.headers['accept-language'] ?? '';
  const preferred = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) };
    })
    .filter((p) => p.tag !== '' && p.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const p of preferred) {
    if (p.tag === 'zh' || p.tag.startsWith('zh-')) return 'zh-CN';
    if (p.tag === 'en' || p.tag.startsWith('en-')) return 'en';
  }
  return 'en';
}
