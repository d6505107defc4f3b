/**
 * Messages of the custody-problem banner. Same rules as en.ts: stable dotted keys, `{name}`
 * placeholders, zh-CN has exactly the English keys (the type enforces it).
 */
export const custodyEn = {
  'custodyProblem.label': 'Custody log problems',
  'custodyProblem.entriesRemoved':
    'Custody entries {first}–{last} were removed from the station database (found {at}). The evidence record is incomplete.',
  'custodyProblem.entriesReplaced':
    'Custody entry {first} no longer matches the recorded chain head: entries were replaced (found {at}).',
  'custodyProblem.headMissing':
    'The custody chain head file was missing (found {at}), so removed custody entries cannot be ruled out.',
  'custodyProblem.headUnreadable':
    'The custody chain head file was unreadable (found {at}), so removed custody entries cannot be ruled out.',
  'custodyProblem.headBehind':
    'Custody entries {first}–{last} were written after the chain head was last saved (found {at}).',
  'custodyProblem.tellAdmin': 'Tell an administrator.',
  'custodyProblem.acknowledge': 'Acknowledge',
  'custodyProblem.acknowledgeHint':
    'Hides this notice for everyone. The problem stays on the custody record and in "log verify".',
} as const;

export const custodyZhCN: { readonly [K in keyof typeof custodyEn]: string } = {
  'custodyProblem.label': '监管链问题',
  'custodyProblem.entriesRemoved': '工作站数据库中的监管记录 {first}–{last} 已被删除（发现于 {at}）。证据记录不完整。',
  'custodyProblem.entriesReplaced': '监管记录 {first} 与保存的链头不一致：记录已被替换（发现于 {at}）。',
  'custodyProblem.headMissing': '监管链链头文件缺失（发现于 {at}），无法排除监管记录被删除。',
  'custodyProblem.headUnreadable': '监管链链头文件无法读取（发现于 {at}），无法排除监管记录被删除。',
  'custodyProblem.headBehind': '监管记录 {first}–{last} 写入于链头最后一次保存之后（发现于 {at}）。',
  'custodyProblem.tellAdmin': '请告知管理员。',
  'custodyProblem.acknowledge': '确认',
  'custodyProblem.acknowledgeHint': '为所有人隐藏此提示。问题仍保留在监管记录和 "log verify" 的结果中。',
};
