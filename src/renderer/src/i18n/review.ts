/**
 * Messages of the review workspace (player, timeline, clips, stills, tags, markers), kept apart
 * from the main catalogue so the workspace's strings live together. Same rules as en.ts: stable
 * dotted keys, `{name}` placeholders, zh-CN has exactly the English keys (the type enforces it).
 */
export const reviewEn = {
  'review.back': 'Back to library',
} as const;

export const reviewZhCN: { readonly [K in keyof typeof reviewEn]: string } = {
  'review.back': '返回证据库',
};
