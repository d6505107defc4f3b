import type { ErrorCode } from '../errors';
import type { ImportReasonCode, Locale } from '../schemas';

/**
 * What a person reads for each error code and import outcome reason, in both languages. One
 * catalogue for every host: the UI shows it in the chosen language, the CLI prints the English.
 * The types make a missing code a compile error.
 */
export const ERROR_MESSAGES: Record<Locale, Record<ErrorCode, string>> = {
  en: {
    'input.invalid': 'Some of the entered values are not valid.',
    'auth.required': 'Please sign in again.',
    'auth.invalid': 'Wrong account name or password.',
    'auth.locked': 'The station is locked. Enter your password to unlock it.',
    'auth.forbidden': 'Your account is not allowed to do this.',
    'host.token': 'This window is no longer connected to the station. Reload the page from the station’s start link.',
    'host.origin': 'The request came from a page the station does not trust.',
    'setup.alreadyDone': 'This station has already been set up. Sign in instead.',
    'setup.required': 'This station has not been set up yet.',
    'account.exists': 'An account with this name already exists.',
    'account.notFound': 'The account does not exist.',
    'account.weakPassword': 'The password is too weak. Use at least 8 characters.',
    'item.notFound': 'The item does not exist.',
    'import.notFound': 'The import record does not exist.',
    'import.sourceNotFound': 'The source path does not exist or cannot be opened.',
    'import.sourceNotAbsolute': 'The source path must be absolute.',
    'import.insufficientSpace': 'There is not enough free space on the station for this import.',
    'import.busy': 'Another import is running. Wait for it to finish.',
    'path.notFound': 'The folder does not exist or cannot be opened.',
    'media.notFound': 'The media file is not available.',
    'time.invalid': 'The time is not valid.',
    'method.unknown': 'The station does not support this action (version mismatch).',
    internal: 'An internal error occurred. The action was not completed; please try again or report it.',
  },
  'zh-CN': {
    'input.invalid': '部分输入内容无效。',
    'auth.required': '请重新登录。',
    'auth.invalid': '账户名或密码错误。',
    'auth.locked': '工作站已锁定，请输入密码解锁。',
    'auth.forbidden': '您的账户无权执行此操作。',
    'host.token': '此窗口已与工作站断开连接。请通过工作站的启动链接重新打开页面。',
    'host.origin': '请求来自工作站不信任的页面。',
    'setup.alreadyDone': '此工作站已完成设置，请直接登录。',
    'setup.required': '此工作站尚未完成设置。',
    'account.exists': '同名账户已存在。',
    'account.notFound': '账户不存在。',
    'account.weakPassword': '密码强度不足，请至少使用 8 个字符。',
    'item.notFound': '项目不存在。',
    'import.notFound': '导入记录不存在。',
    'import.sourceNotFound': '来源路径不存在或无法打开。',
    'import.sourceNotAbsolute': '来源路径必须是绝对路径。',
    'import.insufficientSpace': '工作站剩余空间不足以完成此次导入。',
    'import.busy': '另一项导入正在进行，请等待其完成。',
    'path.notFound': '文件夹不存在或无法打开。',
    'media.notFound': '媒体文件不可用。',
    'time.invalid': '时间无效。',
    'method.unknown': '工作站不支持此操作（版本不一致）。',
    internal: '发生内部错误，操作未完成。请重试或上报此问题。',
  },
};

export const REASON_MESSAGES: Record<Locale, Record<ImportReasonCode, string>> = {
  en: {
    empty: 'The file is empty (0 bytes).',
    notMedia: 'Not a media file.',
    probeFailed: 'The media could not be decoded.',
    unreadable: 'The file could not be read.',
    permissionDenied: 'Permission to read the file was denied.',
    vanished: 'The file disappeared during import (camera unplugged?).',
    changedDuringRead: 'The file changed while it was being read.',
    diskFull: 'The station disk is full.',
    copyMismatch: 'The stored copy did not match the source hash.',
    cancelled: 'The import was cancelled before this file.',
    storeError: 'The evidence store could not save the file.',
  },
  'zh-CN': {
    empty: '文件为空（0 字节）。',
    notMedia: '不是媒体文件。',
    probeFailed: '媒体无法解码。',
    unreadable: '文件无法读取。',
    permissionDenied: '没有读取该文件的权限。',
    vanished: '导入过程中文件消失（记录仪是否已拔出？）。',
    changedDuringRead: '文件在读取过程中发生了变化。',
    diskFull: '工作站磁盘已满。',
    copyMismatch: '存储副本与来源哈希不一致。',
    cancelled: '导入在处理此文件前已取消。',
    storeError: '证据存储无法保存该文件。',
  },
};

/** `{ a: x }` with prefix `p.` becomes `{ 'p.a': x }`, keeping the key types for typed catalogues. */
export function prefixKeys<P extends string, K extends string>(
  prefix: P,
  messages: Record<K, string>,
): Record<`${P}${K}`, string> {
  const out = {} as Record<`${P}${K}`, string>;
  for (const key of Object.keys(messages) as K[]) out[`${prefix}${key}`] = messages[key];
  return out;
}
