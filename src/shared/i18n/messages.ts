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
    'item.notRecording': 'This item is not a recording with video; it cannot be clipped or played frame by frame.',
    'clip.range': 'The chosen range is outside the recording or holds no frame. Move the in and out points.',
    'clip.openGop':
      'A lossless clip cannot be cut from this recording: its keyframes are open (the frames just after a keyframe are built from the group before it), so a copy would start with broken frames. Cut an exact clip instead.',
    'clip.untimed':
      'This recording does not give every frame a time (a DVR’s MPEG program stream, for instance), so a clip or still cannot be placed on exact frames. The original is unchanged.',
    'clip.cancelled': 'The clip was cancelled. Nothing was saved.',
    'clip.failed':
      'The clip could not be made from this recording. The original is unchanged; see the station log for details.',
    'clip.busy': 'A clip with this job id is already being made.',
    'still.failed': 'The still could not be taken from this recording. The original is unchanged.',
    'job.notFound': 'That job is not running (it may have finished already).',
    'store.insufficientSpace': 'There is not enough free space on the station to save this.',
    'taxonomy.unknownCode': 'The violation type {code} is not in the catalogue.',
    'taxonomy.versionNotFound': 'Version {version} of the violation types does not exist.',
    'marker.outside': 'A marker must lie within the recording.',
    'taxonomy.retired': 'The violation type {code} is retired and can no longer be used for new tags.',
    'taxonomy.typeRemoved':
      'The violation type {code} is used by earlier versions and cannot be deleted; mark it retired instead.',
    'tag.notFound': 'The tag does not exist.',
    'tag.nothingToUndo': 'There is no change to undo on this tag.',
    'tag.rangeOutside': 'The tagged range must lie within the recording.',
    'tag.removed': 'The tag has been removed. Undo the removal first.',
    'marker.notFound': 'The marker does not exist.',
    'case.notFound': 'The case does not exist.',
    'case.notDraft': 'The case is {state}; only draft cases can be changed.',
    'case.itemNotInCase': 'The item is not part of this case.',
    'case.numberFormat': 'The case number format must contain {SEQ} (optionally with a width, like {SEQ:5}).',
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
    'item.notRecording': '此项目不是含视频的录像，无法剪辑或逐帧查看。',
    'clip.range': '所选区间超出录像范围或不含任何帧，请调整入点和出点。',
    'clip.openGop':
      '无法从此录像无损剪辑：其关键帧为开放式（关键帧之后的帧依赖前一组画面），直接复制会以损坏的画面开头。请改用精确剪辑。',
    'clip.untimed':
      '此录像并非每一帧都带有时间（例如硬盘录像机的 MPEG 节目流），无法在准确的帧上剪辑或截图。原始文件未被改动。',
    'clip.cancelled': '剪辑已取消，未保存任何内容。',
    'clip.failed': '无法从此录像制作剪辑。原始文件未改动，详情见工作站日志。',
    'clip.busy': '具有相同任务编号的剪辑正在制作中。',
    'still.failed': '无法从此录像截取静帧。原始文件未改动。',
    'job.notFound': '该任务未在运行（可能已经完成）。',
    'store.insufficientSpace': '工作站剩余空间不足，无法保存。',
    'taxonomy.unknownCode': '违法类型 {code} 不在目录中。',
    'taxonomy.versionNotFound': '违法类型目录不存在第 {version} 版。',
    'marker.outside': '标记点必须在录像范围内。',
    'taxonomy.retired': '违法类型 {code} 已停用，不能再用于新标签。',
    'taxonomy.typeRemoved': '违法类型 {code} 已在早期版本中使用，不能删除，请改为停用。',
    'tag.notFound': '标签不存在。',
    'tag.nothingToUndo': '此标签没有可撤销的修改。',
    'tag.rangeOutside': '标记区间必须在录像范围内。',
    'tag.removed': '标签已删除，请先撤销删除。',
    'marker.notFound': '标记点不存在。',
    'case.notFound': '案件不存在。',
    'case.notDraft': '案件状态为{state}，只有草稿案件可以修改。',
    'case.itemNotInCase': '该项目不属于此案件。',
    'case.numberFormat': '案件编号格式必须包含 {SEQ}（可指定位数，例如 {SEQ:5}）。',
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
