import type { ErrorCode } from '../errors';
import type { ImportReasonCode, Locale } from '../schemas';
import type { SyncProblemCode } from '../syncSchemas';
import type { DeriveProblemCode } from '../jobSchemas';

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
    'auth.throttled': 'Too many failed attempts. Wait {seconds} s before trying again.',
    'auth.expired': 'Your session has reached its time limit. Please sign in again.',
    'auth.passwordChangeRequired': 'An administrator reset your password. Choose a new password to sign in.',
    'host.token': 'This window is no longer connected to the station. Reload the page from the station’s start link.',
    'host.origin': 'The request came from a page the station does not trust.',
    'setup.alreadyDone': 'This station has already been set up. Sign in instead.',
    'setup.required': 'This station has not been set up yet.',
    'account.exists': 'An account with this name already exists.',
    'account.notFound': 'The account does not exist.',
    'account.weakPassword': 'The password is too weak. Use at least 8 characters.',
    'account.lockedOut': 'This account is locked after too many failed attempts. An administrator must lift the lock.',
    'account.disabled': 'This account is disabled. Ask an administrator.',
    'account.lastAdmin': 'The station must keep at least one enabled administrator.',
    'account.officerTaken': 'Another account already has officer number {officerNumber}.',
    'account.passwordUnchanged': 'The new password must differ from the current one.',
    'item.notFound': 'The item does not exist.',
    'item.ambiguous': 'More than one item’s SHA-256 starts with {ref}: give more of the hash.',
    'import.notFound': 'The import record does not exist.',
    'import.sourceNotFound': 'The source path {path} does not exist or cannot be opened.',
    'import.sourceNotAbsolute': 'The source path {path} is not a full path: start it at the drive or the root (/).',
    'import.insufficientSpace': 'There is not enough free space on the station for this import.',
    'import.busy': 'Another import is running. Wait for it to finish.',
    'import.pathNotAllowed':
      'The station does not read from {path} here: choose a removable volume, your home folder or a folder an administrator has allowed (system folders are never read).',
    'import.pathInStation': 'The station does not import or list its own data folder ({path}).',
    'import.sourceUnreadable': 'The chosen folder {path} cannot be read.',
    'path.notFound': 'The folder does not exist or cannot be opened.',
    'media.notFound': 'The media file is not available.',
    'media.notOpened': 'Open the item before playing it, so that the viewing is recorded.',
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
    'custody.problemNotFound': 'There is no such custody problem, or it was already acknowledged.',
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
    'batch.emptyImport': 'Import {ref} brought in no item, so there is no time to correct.',
    'batch.emptyDevice': 'No item was recorded by device {ref}, so there is no time to correct.',
    'tag.notFromSource':
      'The clip {itemId} was not cut from within the range of tag {tagId}, so that tag cannot be carried over to it.',
    'case.numberFormat':
      'The case number format must contain {SEQ} (optionally with a width, like {SEQ:5}), only the placeholders {YYYY}, {MM}, {DD}, {STATION} and {SEQ}, and no control or invisible characters.',
    'case.empty': 'The case holds no evidence yet. Add at least one item before sealing.',
    'case.untitled': 'The case has no title. Give it a title before sealing.',
    'case.sealed':
      'This version of the case is sealed and cannot be changed. Reopen the case (with a reason) to start a new version.',
    'case.alreadySealed': 'This version of the case is already sealed. Nothing was repeated.',
    'case.notSealed': 'The case has no sealed version yet. Seal it first.',
    'case.alreadyDraft':
      'Version {version} of the case is already a draft, open for changes: there is nothing to reopen. Seal it when it is ready.',
    'case.versionNotFound': 'This version of the case does not exist.',
    'approval.notSupervisor':
      'Only a supervisor or an administrator can approve or reject a sealed version. Ask a supervisor to review it.',
    'approval.ownSeal':
      'You sealed version {version} of case {number}, so you cannot approve or reject it. Another supervisor must review it.',
    'approval.ownEdit':
      'You worked on version {version} of case {number} (custody entry {seq}, {action}), so you cannot approve or reject it. Another supervisor must review it.',
    'approval.notOnRecord':
      'Version {version} of case {number} is marked approved, but the custody log and the station key’s signature do not back that approval ({detail}). It is not sent to the server; run a check and tell the administrator.',
    'approval.wrongState':
      'Version {version} of case {number} is not waiting for this step (its state: {state}). Nothing was changed.',
    'approval.superseded':
      'Version {version} of case {number} was reopened as version {next}; it can no longer be approved or rejected. Review the newest sealed version instead.',
    'seal.hashMismatch':
      'The case was not sealed: stored evidence no longer matches its recorded SHA-256 ({items}). The mismatch is on the custody record; check the station.',
    'seal.failed': 'The case could not be sealed. Nothing was changed; see the station log for details.',
    'seal.custodyProblem':
      'The case was not sealed: the custody log has {count} problem(s) that no administrator has reviewed yet. A package would vouch for a chain this station itself distrusts. An administrator must review the custody log and acknowledge the problems first (Acknowledge on the custody problem notice, or the CLI: log acknowledge).',
    'key.passphraseRequired': 'The station key is protected by a passphrase. Set STATION_KEY_PASSPHRASE and try again.',
    'key.passphraseWrong': 'The station key could not be unlocked: the passphrase is wrong or the key file is damaged.',
    'key.invalid': 'This is not an Ed25519 public key in PEM format.',
    'key.unavailable':
      "The station key is protected by the desktop app's system keychain, which is not available here. Sign from the desktop app.",
    'key.protectorFailed':
      "The system keychain refused to decrypt the station key (another OS account's keychain, or a damaged key file). Nothing was signed.",
    'key.exists': 'This key is already known to the station.',
    'key.damaged':
      "The station's signing key files in {folder} are missing or do not belong together ({file}). Nothing was signed and no new key was made; restore the keys folder from a backup.",
    'export.insufficientSpace': 'There is not enough free space on the target for this package. Nothing was written.',
    'export.destination':
      "The target folder does not exist, is not a folder, cannot be written or is inside the station's own data folder.",
    'export.destinationNotAllowed':
      'Packages can be exported from here only to removable media, your home folder or a folder an administrator allowed ({path}).',
    'export.custodyProblem':
      'Nothing was exported: the custody log has {count} problem(s) that no administrator has reviewed yet, so the copy could not carry a checkpoint the station stands behind. An administrator must review the custody log and acknowledge the problems first (Acknowledge on the custody problem notice, or the CLI: log acknowledge).',
    'export.failed': 'The export failed ({reason}). Any partial copy was removed; the station is unchanged.',
    'export.cancelled': 'The export was cancelled. Any partial copy was removed.',
    'export.verifyFailed': 'The written copy did not verify; it was removed. Try another medium.',
    'export.busy': 'Another export is running. Wait for it to finish.',
    'package.unreadable': 'The package cannot be read: it is not a folder or zip, or it is damaged.',
    'package.notFound': 'No package at {path}.',
    'verify.pathNotAllowed':
      'The station does not verify {path} here: choose a package on a removable volume, in your home folder or in a folder an administrator has allowed (never the station’s own data folder or a system folder).',
    'package.damaged':
      "The station's sealed copy of {number} v{version} is not as it was sealed ({reason}). Nothing was exported: the medium is not at fault. Run a station check (check --rehash) and restore the package from a backup.",
    'station.inUse':
      'This station is in use by process {pid} on host {host} since {since}, and that process does not answer. Close it (or wait for it) and try again.',
    'station.schemaOlder':
      "This station's database is at schema version {found}, older than this program's ({known}). A command that only reads does not upgrade it: open the station in the app, or run a command that changes it, which upgrades it first; then try again.",
    'station.schemaNewer':
      "This station's database is at schema version {found}, newer than this program knows ({known}). Nothing was read or changed; use the newer version of the program that last opened it.",
    'quarantine.fileMissing':
      'Quarantined file #{id} is not in the quarantine folder ({file}), so nothing can be done with it. Run check to see what the folder and the records say.',
    'quarantine.notEvidence':
      'No item records the bytes of quarantined file #{id}, so it cannot go back into the store as evidence. Release it to a folder or keep it in quarantine.',
    'quarantine.alreadyStored':
      'The store already holds these bytes for their item, so quarantined file #{id} is not needed there. Release it to a folder or keep it in quarantine.',
    'quarantine.hashMismatch':
      'Quarantined file #{id} no longer holds the bytes it is named for (it now hashes to {found}); it cannot be adopted. Release it or keep it.',
    'quarantine.releaseTarget':
      'The release folder must be an existing folder, given by its full path, outside the station’s data folder: {path}',
    'quarantine.releaseExists': 'A file is already at {path}; nothing was overwritten. Choose another folder.',
    'quarantine.releaseFailed':
      'The quarantined file could not be copied to {path} ({reason}). Nothing was removed from quarantine.',
    'engine.socketBlocked':
      '{path} is a {kind}, not the engine’s socket, so the engine that owns this station (process {pid}) cannot be reached. Stop that engine; its next start moves it aside.',
    'engine.socketUnmovable':
      'The engine cannot listen: {path} is a {kind} that it could not move aside ({reason}). Remove it and start again.',
    'engine.unreachable':
      'The station engine stopped answering ({reason}). Nothing more was sent to it; start it again.',
    'sync.notEnrolled':
      'This station is not enrolled with a central server yet. An administrator enrols it with the server’s address and a one-time code from its operator.',
    'sync.alreadyEnrolled': 'This station is already enrolled with the central server at {url}.',
    'sync.enrolmentNotOnRecord':
      'The enrolment stored in the station’s database is not the one its custody log recorded ({detail}). Nothing is sent to {url} and no receipt is taken from it; run a check and tell the administrator.',
    'sync.unreachable':
      'The central server at {url} could not be reached ({reason}). Check the address and the network, then try again.',
    'sync.serverRefused': 'The central server at {url} refused the request ({code}: {reason}).',
    'enrol.codeMalformed':
      'This is not an enrolment code. A code looks like ES1-… followed by 26 letters and digits and the server key’s fingerprint; copy it exactly as the server printed it.',
    'enrol.codeInvalid':
      'The central server at {url} did not accept this enrolment code: it is unknown, already used or older than 24 hours. Ask its operator for a new code.',
    'enrol.stationExists':
      'The central server at {url} already has this station enrolled with another key. Ask its operator to check the station list.',
    'enrol.serverKeyMismatch':
      'Not enrolled: the server answered with key {found}, but the enrolment code names key {expected}. Someone may be standing between this station and the server, or the address is wrong. Nothing was stored.',
    'method.unknown': 'The station does not support this action (version mismatch).',
    internal: 'An internal error occurred. The action was not completed; please try again or report it.',
  },
  'zh-CN': {
    'input.invalid': '部分输入内容无效。',
    'auth.required': '请重新登录。',
    'auth.invalid': '账户名或密码错误。',
    'auth.locked': '工作站已锁定，请输入密码解锁。',
    'auth.forbidden': '您的账户无权执行此操作。',
    'auth.throttled': '失败次数过多，请等待 {seconds} 秒后再试。',
    'auth.expired': '会话已达到时限，请重新登录。',
    'auth.passwordChangeRequired': '管理员已重置您的密码，请设置新密码后登录。',
    'host.token': '此窗口已与工作站断开连接。请通过工作站的启动链接重新打开页面。',
    'host.origin': '请求来自工作站不信任的页面。',
    'setup.alreadyDone': '此工作站已完成设置，请直接登录。',
    'setup.required': '此工作站尚未完成设置。',
    'account.exists': '同名账户已存在。',
    'account.notFound': '账户不存在。',
    'account.weakPassword': '密码强度不足，请至少使用 8 个字符。',
    'account.lockedOut': '失败次数过多，该账户已被锁定，需由管理员解除。',
    'account.disabled': '该账户已停用，请联系管理员。',
    'account.lastAdmin': '工作站必须保留至少一个启用的管理员账户。',
    'account.officerTaken': '警号 {officerNumber} 已被其他账户使用。',
    'account.passwordUnchanged': '新密码不能与当前密码相同。',
    'item.notFound': '项目不存在。',
    'item.ambiguous': '不止一个项目的 SHA-256 以 {ref} 开头，请输入更长的哈希值。',
    'import.notFound': '导入记录不存在。',
    'import.sourceNotFound': '来源路径 {path} 不存在或无法打开。',
    'import.sourceNotAbsolute': '来源路径 {path} 不是完整路径：请从盘符或根目录（/）开始填写。',
    'import.insufficientSpace': '工作站剩余空间不足以完成此次导入。',
    'import.busy': '另一项导入正在进行，请等待其完成。',
    'import.pathNotAllowed':
      '工作站不从此处读取 {path}：请选择可移动卷、您的主文件夹或管理员允许的文件夹（系统文件夹一律不读取）。',
    'import.pathInStation': '工作站不导入也不列出其自身的数据文件夹（{path}）。',
    'import.sourceUnreadable': '所选文件夹 {path} 无法读取。',
    'path.notFound': '文件夹不存在或无法打开。',
    'media.notFound': '媒体文件不可用。',
    'media.notOpened': '请先打开该条目再播放，以便记录查看。',
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
    'custody.problemNotFound': '没有这个监管链问题，或它已被确认。',
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
    'batch.emptyImport': '导入 {ref} 没有带入任何项目，没有可校正的时间。',
    'batch.emptyDevice': '没有由设备 {ref} 录制的项目，没有可校正的时间。',
    'tag.notFromSource': '片段 {itemId} 不是从标签 {tagId} 的区间内截取的，不能沿用该标签。',
    'case.numberFormat':
      '案件编号格式必须包含 {SEQ}（可指定位数，例如 {SEQ:5}），只能使用 {YYYY}、{MM}、{DD}、{STATION} 和 {SEQ} 占位符，且不得含控制字符或不可见字符。',
    'case.empty': '案件中还没有证据。请至少添加一项后再封存。',
    'case.untitled': '案件没有标题。请先填写标题再封存。',
    'case.sealed': '此案件版本已封存，不能修改。如需修改，请填写理由重新打开案件，开始新版本。',
    'case.alreadySealed': '此案件版本已经封存，未重复操作。',
    'case.notSealed': '此案件还没有封存的版本。请先封存。',
    'case.alreadyDraft': '此案件的当前版本 {version} 已是草稿，可以修改，无需重新打开。准备好后请封存。',
    'case.versionNotFound': '此案件版本不存在。',
    'approval.notSupervisor': '只有主管或管理员可以批准或退回已封存的版本。请由主管审核。',
    'approval.ownSeal': '案件 {number} 的版本 {version} 是您封存的，您不能批准或退回它。请由另一位主管审核。',
    'approval.ownEdit':
      '您参与了案件 {number} 版本 {version} 的编辑（监管记录 {seq}，{action}），不能批准或退回它。请由另一位主管审核。',
    'approval.notOnRecord':
      '案件 {number} 的版本 {version} 标记为已批准，但监管记录和工作站密钥的签名不支持该批准（{detail}）。该版本不会发送到服务器；请运行检查并告知管理员。',
    'approval.wrongState':
      '案件 {number} 的版本 {version} 当前不处于可执行此步骤的状态（状态：{state}），未做任何更改。',
    'approval.superseded':
      '案件 {number} 的版本 {version} 已重新打开为版本 {next}，不能再批准或退回。请审核最新封存的版本。',
    'seal.hashMismatch':
      '案件未封存：存储的证据与记录的 SHA-256 不一致（{items}）。此不一致已记入监管链，请检查工作站。',
    'seal.failed': '案件无法封存，未做任何更改；详情见工作站日志。',
    'seal.custodyProblem':
      '案件未封存：监管日志中有 {count} 个问题尚未经管理员审查。此时封存的证据包将为工作站自身都不信任的监管链作证。请管理员先审查监管日志并确认这些问题（监管链问题提示上的“确认”按钮，或命令行：log acknowledge）。',
    'key.passphraseRequired': '工作站密钥受口令保护。请设置 STATION_KEY_PASSPHRASE 后重试。',
    'key.passphraseWrong': '无法解锁工作站密钥：口令错误或密钥文件已损坏。',
    'key.invalid': '这不是 PEM 格式的 Ed25519 公钥。',
    'key.unavailable': '工作站密钥由桌面应用的系统钥匙串保护，此处无法使用。请在桌面应用中签名。',
    'key.protectorFailed':
      '系统钥匙串拒绝解密工作站密钥（属于其他系统账户的钥匙串，或密钥文件已损坏）。未签署任何内容。',
    'key.exists': '工作站已知此密钥。',
    'key.damaged':
      '{folder} 中的工作站签名密钥文件缺失或不匹配（{file}）。未签名任何内容，也未生成新密钥；请从备份恢复密钥文件夹。',
    'export.insufficientSpace': '目标位置的剩余空间不足以存放此证据包，未写入任何内容。',
    'export.destination': '目标文件夹不存在、不是文件夹、无法写入，或位于工作站自身的数据文件夹内。',
    'export.destinationNotAllowed':
      '在此处只能将证据包导出到可移动存储介质、您的主文件夹或管理员允许的文件夹（{path}）。',
    'export.custodyProblem':
      '未导出任何内容：监管日志中有 {count} 个问题尚未经管理员审查，副本无法携带工作站认可的检查点。请管理员先审查监管日志并确认这些问题（监管链问题提示上的“确认”按钮，或命令行：log acknowledge）。',
    'export.failed': '导出失败（{reason}）。未完成的副本已删除，工作站未受影响。',
    'export.cancelled': '导出已取消，未完成的副本已删除。',
    'export.verifyFailed': '写入的副本校验未通过，已删除。请换一个存储介质。',
    'export.busy': '另一个导出正在进行，请等待其完成。',
    'package.unreadable': '无法读取证据包：它不是文件夹或 zip 文件，或已损坏。',
    'package.notFound': '{path} 处没有证据包。',
    'verify.pathNotAllowed':
      '工作站不在此处校验 {path}：请选择位于可移动卷、您的主文件夹或管理员允许的文件夹中的证据包（工作站自身的数据文件夹和系统文件夹一律不校验）。',
    'package.damaged':
      '工作站保存的 {number} 第 {version} 版封存证据包与封存时不一致（{reason}）。未导出任何内容，问题不在存储介质。请运行工作站检查（check --rehash），并从备份恢复该证据包。',
    'station.inUse':
      '此工作站正由主机 {host} 上的进程 {pid} 使用（自 {since} 起），且该进程无响应。请关闭该进程（或等待其结束）后重试。',
    'station.schemaOlder':
      '此工作站的数据库结构版本为 {found}，低于本程序的版本（{known}）。只读命令不会升级数据库：请先在应用中打开此工作站，或运行一条会修改工作站的命令（它会先完成升级），然后重试。',
    'station.schemaNewer':
      '此工作站的数据库结构版本为 {found}，高于本程序所知的版本（{known}）。未读取或更改任何内容；请使用上次打开它的较新版本程序。',
    'quarantine.fileMissing':
      '隔离文件 #{id} 不在隔离文件夹中（{file}），无法处理。请运行检查，查看文件夹与记录的情况。',
    'quarantine.notEvidence':
      '没有任何证据条目记录隔离文件 #{id} 的内容，因此不能作为证据放回存储区。请将其释放到某个文件夹，或保留在隔离区。',
    'quarantine.alreadyStored':
      '存储区中已有该条目的这些内容，无需再放回隔离文件 #{id}。请将其释放到某个文件夹，或保留在隔离区。',
    'quarantine.hashMismatch':
      '隔离文件 #{id} 的内容已与其名称不符（现在的哈希值为 {found}），不能收回。请将其释放或保留。',
    'quarantine.releaseTarget': '释放目标必须是以完整路径给出的、位于工作站数据文件夹之外的现有文件夹：{path}',
    'quarantine.releaseExists': '{path} 处已有文件，未覆盖任何内容。请选择其他文件夹。',
    'quarantine.releaseFailed': '无法将隔离文件复制到 {path}（{reason}）。隔离区中的文件未被删除。',
    'engine.socketBlocked':
      '{path} 不是引擎的套接字（而是 {kind}），因此无法连接到占用此工作站的引擎（进程 {pid}）。请停止该引擎；它下次启动时会把它移到一旁。',
    'engine.socketUnmovable':
      '引擎无法监听：{path} 处有一个 {kind}，且无法将其移到一旁（{reason}）。请删除它后重新启动。',
    'engine.unreachable': '工作站引擎已停止响应（{reason}）。未再向其发送任何内容；请重新启动。',
    'sync.notEnrolled':
      '此工作站尚未在中心服务器注册。请管理员使用服务器地址和服务器管理员提供的一次性注册码进行注册。',
    'sync.alreadyEnrolled': '此工作站已在 {url} 的中心服务器注册。',
    'sync.enrolmentNotOnRecord':
      '工作站数据库中保存的注册信息与保管链记录的不一致（{detail}）。不会向 {url} 发送任何内容，也不接受其回执；请运行检查并告知管理员。',
    'sync.unreachable': '无法连接 {url} 的中心服务器（{reason}）。请检查地址和网络后重试。',
    'sync.serverRefused': '{url} 的中心服务器拒绝了请求（{code}：{reason}）。',
    'enrol.codeMalformed':
      '这不是注册码。注册码以 ES1- 开头，后跟 26 个字母和数字以及服务器密钥指纹；请按服务器打印的内容原样复制。',
    'enrol.codeInvalid':
      '{url} 的中心服务器不接受此注册码：注册码未知、已使用或已超过 24 小时。请向服务器管理员索取新的注册码。',
    'enrol.stationExists': '{url} 的中心服务器已用另一个密钥注册了此工作站。请服务器管理员检查工作站列表。',
    'enrol.serverKeyMismatch':
      '未注册：服务器返回的密钥为 {found}，但注册码指定的密钥为 {expected}。可能有人处于此工作站与服务器之间，或地址有误。未保存任何内容。',
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
    interrupted: 'The station stopped before it reached this file; it was not imported and is still on the source.',
    storeError: 'The evidence store could not save the file.',
    notRegularFile: 'Not a regular file when it was opened (a pipe, device or folder put in its place); not read.',
    symlinkRefused: 'A symbolic link was put in place of the file after the scan; links are not followed.',
    sourceReplaced: 'The file was replaced by another after the scan; not read.',
    folderUnreadable: 'This folder could not be read; its files are not imported.',
    inStation: "The station's own data folder or one of its files; never imported.",
    systemFolder: 'A system folder; never imported.',
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
    interrupted: '工作站在处理此文件前已停止；此文件未导入，仍在源设备上。',
    storeError: '证据存储无法保存该文件。',
    notRegularFile: '打开时已不是普通文件（被替换为管道、设备或文件夹），未读取。',
    symlinkRefused: '扫描后该文件被替换为符号链接；不跟随链接。',
    sourceReplaced: '扫描后该文件被另一个文件替换，未读取。',
    folderUnreadable: '此文件夹无法读取，其中的文件未导入。',
    inStation: '工作站自身的数据文件夹或其中的文件，绝不导入。',
    systemFolder: '系统文件夹，绝不导入。',
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

/**
 * Why a sync waits or was refused, in plain words (the Sync panel, `sync`). The server's own
 * message follows in the detail, in the language it speaks.
 */
export const SYNC_PROBLEM_MESSAGES: Record<Locale, Record<SyncProblemCode, string>> = {
  en: {
    'enrol.codeInvalid': 'The enrolment code was not accepted.',
    'enrol.stationExists': 'The server knows this station with another key.',
    'auth.nonce': 'The server did not accept the request’s one-time number; it is sent again.',
    'auth.signature': 'The server did not accept this station’s signature.',
    'station.unknown': 'The server does not know this station. It must be enrolled again.',
    'station.revoked': 'The server’s operator has revoked this station. Nothing more is accepted from it.',
    'request.invalid': 'The server did not understand a request from this station.',
    'request.throttled': 'The server asked this station to slow down; it tries again shortly.',
    'upload.hashMismatch': 'A file arrived changed (its SHA-256 differed); it is sent again from the start.',
    'upload.notFound': 'The server no longer has the partial upload; the file is sent again.',
    'blob.missing': 'The server has not received some files of this case from this station; they are sent again.',
    'commit.refused': 'The server checked the package and refused it.',
    'commit.conflict': 'The server already holds a different package under this case version.',
    'operator.unauthorized': 'The server refused access.',
    internal: 'The server had an internal error.',
    network: 'The server could not be reached, or the connection broke.',
    server: 'The server answered with an error.',
    'receipt.invalid': 'The server’s receipt did not verify, so it was not kept.',
    'package.unreadable': 'A file of the sealed package could not be read on this station.',
    stationKey:
      'The station key could not sign the upload (its passphrase is not set, or the keychain refused). An administrator must unlock it.',
    notEnrolled: 'This station is not enrolled with a server.',
    window: 'Outside the daily sync hours.',
  },
  'zh-CN': {
    'enrol.codeInvalid': '注册码未被接受。',
    'enrol.stationExists': '服务器已用另一个密钥登记了此工作站。',
    'auth.nonce': '服务器未接受请求的一次性编号，将重新发送。',
    'auth.signature': '服务器未接受此工作站的签名。',
    'station.unknown': '服务器不认识此工作站，需要重新注册。',
    'station.revoked': '服务器管理员已吊销此工作站，不再接受其任何内容。',
    'request.invalid': '服务器无法理解此工作站的请求。',
    'request.throttled': '服务器要求此工作站放慢速度，稍后将重试。',
    'upload.hashMismatch': '文件到达时已变化（SHA-256 不一致），将从头重新发送。',
    'upload.notFound': '服务器已不再保留未完成的上传，文件将重新发送。',
    'blob.missing': '服务器尚未从此工作站收到此案件的部分文件，将重新发送。',
    'commit.refused': '服务器检查了证据包并拒绝接收。',
    'commit.conflict': '服务器在此案件版本下已保存了不同的证据包。',
    'operator.unauthorized': '服务器拒绝访问。',
    internal: '服务器发生内部错误。',
    network: '无法连接服务器，或连接中断。',
    server: '服务器返回了错误。',
    'receipt.invalid': '服务器的回执未通过验证，未予保存。',
    'package.unreadable': '此工作站无法读取封存证据包中的某个文件。',
    stationKey: '工作站密钥无法为上传签名（未设置口令或系统钥匙串拒绝）。需由管理员解锁。',
    notEnrolled: '此工作站尚未在服务器注册。',
    window: '不在每日同步时段内。',
  },
};

/**
 * Why a thumbnail, filmstrip or viewing copy could not be made, in plain words (the jobs panel).
 * The tool's own words follow in the detail, in English, as the tool said them.
 */
export const DERIVE_PROBLEM_MESSAGES: Record<Locale, Record<DeriveProblemCode, string>> = {
  en: {
    heifTooLarge:
      'The photo is {width} × {height} pixels ({megapixels} MP); the station decodes HEIC photos up to {limit} MP, so it makes no picture of it. The original is stored unchanged.',
    heifFileTooLarge:
      'The HEIC file is larger than {limitMb} MB, more than the station reads into memory to decode it.',
    heifUndecodable: 'The HEIC decoder (libheif) could not read this photo.',
    toolFailed: 'ffmpeg could not make it from this file.',
    sourceUnreadable: 'The stored original could not be read.',
    itemGone: 'The item no longer exists.',
  },
  'zh-CN': {
    heifTooLarge:
      '该照片为 {width} × {height} 像素（{megapixels} 百万像素），工作站只解码不超过 {limit} 百万像素的 HEIC 照片，因此不生成其图像。原始文件已原样保存。',
    heifFileTooLarge: '该 HEIC 文件大于 {limitMb} MB，超出工作站解码时可读入内存的大小。',
    heifUndecodable: 'HEIC 解码器（libheif）无法读取这张照片。',
    toolFailed: 'ffmpeg 无法从此文件生成。',
    sourceUnreadable: '无法读取已保存的原始文件。',
    itemGone: '该项目已不存在。',
  },
};
