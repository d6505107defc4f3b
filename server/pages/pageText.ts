import type { Lang } from '../http/lang';

/** Every word the operators' pages show, in both languages. */
export const PAGE_TEXT: Record<
  Lang,
  {
    title: string;
    heading: string;
    signedInAs: string;
    signOut: string;
    signIn: string;
    signInHeading: string;
    name: string;
    password: string;
    invalid: string;
    throttled: string;
    noCases: string;
    cols: { caseNumber: string; version: string; station: string; receivedAt: string; verification: string; receipt: string };
    verification: { verified: string; refused: string };
    otherLanguage: string;
    serverKey: string;
  }
> = {
  en: {
    title: 'Evidence Station — central server',
    heading: 'Received cases',
    signedInAs: 'Signed in as',
    signOut: 'Sign out',
    signIn: 'Sign in',
    signInHeading: 'Operator sign-in',
    name: 'Name',
    password: 'Password',
    invalid: 'Wrong name or password.',
    throttled: 'Too many failed attempts for this name. Wait {seconds} s and try again.',
    noCases: 'No case has been received yet.',
    cols: {
      caseNumber: 'Case number',
      version: 'Version',
      station: 'Station',
      receivedAt: 'Received (UTC)',
      verification: 'Verification',
      receipt: 'Receipt no.',
    },
    verification: { verified: 'Verified', refused: 'Refused' },
    otherLanguage: '中文',
    serverKey: 'Server key fingerprint',
  },
  'zh-CN': {
    title: '证据工作站 — 中心服务器',
    heading: '已接收的案件',
    signedInAs: '当前操作员',
    signOut: '退出登录',
    signIn: '登录',
    signInHeading: '操作员登录',
    name: '名称',
    password: '密码',
    invalid: '名称或密码错误。',
    throttled: '该名称的失败次数过多，请等待 {seconds} 秒后再试。',
    noCases: '尚未接收任何案件。',
    cols: {
      caseNumber: '案件编号',
      version: '版本',
      station: '工作站',
      receivedAt: '接收时间（UTC）',
      verification: '验证状态',
      receipt: '回执序号',
    },
    verification: { verified: '已验证', refused: '已拒收' },
    otherLanguage: 'English',
    serverKey: '服务器密钥指纹',
  },
};

/** Fills `{name}` placeholders from `params`; the template, not concatenation, places the words. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}
