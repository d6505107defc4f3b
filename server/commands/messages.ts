/**
 * What the server's commands tell the person at the terminal, in both languages (`LANG=zh_CN…`
 * picks Chinese). Failures are `ServerMessageError`s: a key and its parameters, never joined text.
 */
export const SERVER_MESSAGES = {
  en: {
    usage:
      'Usage:\n  server --port N --data DIR [--host 127.0.0.1]\n  server user add NAME --data DIR   (password from SERVER_PASSWORD)\n  server enrol-code --data DIR\n  server station list --data DIR [--json]\n  server station revoke STATION_ID --data DIR',
    'usage.bad': 'Wrong arguments: {reason}',
    'dataDir.missing': 'Say where the server keeps its data: --data DIR.',
    'dataDir.notWritable': 'The data folder {dir} cannot be written: {reason}',
    'dataDir.locked':
      'The data folder {dir} is in use by process {pid} (a running server or command). Stop it first, or run this command while the server runs so that it asks the server.',
    'port.inUse': 'Port {port} on {host} is already in use. Choose another with --port.',
    'port.denied': 'Not allowed to listen on port {port} on {host}.',
    'host.unavailable': 'Cannot listen on {host}: no such address on this machine.',
    'port.invalid': 'The port must be a number from 0 to 65535.',
    'database.failed': 'The database could not be opened: {reason}',
    'key.failed': 'The server key could not be loaded: {reason}',
    'key.lostForChain':
      'The database holds receipts up to receipt {seq}, signed by server key {fingerprint}, but {dir} holds no private key. Restore that key from the backup of this server: a new key is not the one the enrolled stations trust, and would continue a chain it did not sign.',
    'key.notTheChains':
      'The server key {found} did not sign the receipts in this database (receipt {seq} is signed by key {expected}). Put back the key that belongs with this database, or the database that belongs with this key.',
    listening: 'Evidence Station server listening on {url}',
    keyFingerprint: 'Server key fingerprint: {fingerprint}',
    stopping: 'Stopping the server.',
    'password.missing': 'Set the password in the SERVER_PASSWORD environment variable.',
    'password.empty': 'The password is empty.',
    'password.short': 'The password is too short: use at least {min} characters.',
    'password.sameAsName': 'The password must not be the name.',
    'password.oneCharacter': 'The password must not be one character repeated.',
    'name.invalid': 'An operator name is 1 to 100 characters, with no spaces at its ends.',
    'user.added': 'Operator {name} added.',
    'user.exists': 'An operator named {name} already exists.',
    'enrolCode.made':
      'A one-time enrolment code for one station, valid until {expiresAt} (24 hours). On the station: enrol <server-url> <code>',
    'station.revoked': 'Station {id} is revoked: its requests are refused from now on.',
    'station.alreadyRevoked': 'Station {id} was already revoked.',
    'station.unknown': 'No station {id} is enrolled.',
    'station.none': 'No station is enrolled.',
    'station.line': '{id}  {name}  enrolled {enrolledAt}  {state}  key {fingerprint}',
    'station.active': 'active',
    'station.revokedAt': 'revoked {revokedAt}',
    'admin.failed': 'The running server refused the command: {reason}',
  },
  'zh-CN': {
    usage:
      '用法：\n  server --port N --data DIR [--host 127.0.0.1]\n  server user add 名称 --data DIR   （密码取自 SERVER_PASSWORD）\n  server enrol-code --data DIR\n  server station list --data DIR [--json]\n  server station revoke 工作站编号 --data DIR',
    'usage.bad': '参数错误：{reason}',
    'dataDir.missing': '请用 --data DIR 指定服务器的数据目录。',
    'dataDir.notWritable': '无法写入数据目录 {dir}：{reason}',
    'dataDir.locked':
      '数据目录 {dir} 正被进程 {pid}（运行中的服务器或命令）使用。请先停止它，或在服务器运行时执行此命令，由服务器代为处理。',
    'port.inUse': '{host} 上的端口 {port} 已被占用，请用 --port 另选端口。',
    'port.denied': '无权监听 {host} 上的端口 {port}。',
    'host.unavailable': '无法监听 {host}：本机没有该地址。',
    'port.invalid': '端口必须是 0 到 65535 之间的数字。',
    'database.failed': '无法打开数据库：{reason}',
    'key.failed': '无法加载服务器密钥：{reason}',
    'key.lostForChain':
      '数据库中已有截至第 {seq} 号的回执，由服务器密钥 {fingerprint} 签名，但 {dir} 中没有私钥。请从本服务器的备份中恢复该密钥：新密钥不是已登记工作站所信任的密钥，也会接续一条并非由它签名的回执链。',
    'key.notTheChains':
      '服务器密钥 {found} 并未签署本数据库中的回执（第 {seq} 号回执由密钥 {expected} 签名）。请放回与本数据库配套的密钥，或与本密钥配套的数据库。',
    listening: '证据工作站服务器正在监听 {url}',
    keyFingerprint: '服务器密钥指纹：{fingerprint}',
    stopping: '正在停止服务器。',
    'password.missing': '请在环境变量 SERVER_PASSWORD 中设置密码。',
    'password.empty': '密码为空。',
    'password.short': '密码太短：至少需要 {min} 个字符。',
    'password.sameAsName': '密码不能与名称相同。',
    'password.oneCharacter': '密码不能是同一个字符的重复。',
    'name.invalid': '操作员名称为 1 到 100 个字符，首尾不能有空格。',
    'user.added': '已添加操作员 {name}。',
    'user.exists': '名为 {name} 的操作员已存在。',
    'enrolCode.made':
      '一次性注册码，仅供一台工作站使用，有效期至 {expiresAt}（24 小时）。在工作站上执行：enrol <服务器地址> <注册码>',
    'station.revoked': '工作站 {id} 已撤销：此后其请求均被拒绝。',
    'station.alreadyRevoked': '工作站 {id} 此前已被撤销。',
    'station.unknown': '没有已注册的工作站 {id}。',
    'station.none': '尚无已注册的工作站。',
    'station.line': '{id}  {name}  注册于 {enrolledAt}  {state}  密钥 {fingerprint}',
    'station.active': '有效',
    'station.revokedAt': '已于 {revokedAt} 撤销',
    'admin.failed': '运行中的服务器拒绝了该命令：{reason}',
  },
} as const;

export type ServerMessageKey = keyof (typeof SERVER_MESSAGES)['en'];
type Params = Record<string, string | number>;

export function terminalLang(env: NodeJS.ProcessEnv = process.env): 'en' | 'zh-CN' {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function message(key: ServerMessageKey, params: Params = {}, env: NodeJS.ProcessEnv = process.env): string {
  const template: string = SERVER_MESSAGES[terminalLang(env)][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** An expected failure of a command or of start-up: printed as its message, exit status 1. */
export class ServerMessageError extends Error {
  constructor(
    readonly key: ServerMessageKey,
    readonly params: Params = {},
  ) {
    super(message(key, params, { LANG: 'en' }));
    this.name = 'ServerMessageError';
  }
}
