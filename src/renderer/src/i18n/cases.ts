/**
 * Messages of cases and the violation taxonomy editor. Same rules as en.ts: stable dotted keys,
 * `{name}` placeholders, zh-CN has exactly the English keys (the type enforces it).
 */
export const casesEn = {
  'cases.title': 'Cases',
} as const;

export const casesZhCN: { readonly [K in keyof typeof casesEn]: string } = {
  'cases.title': '案件',
};
