import type { SyncErrorCode } from '../../src/shared/syncProtocol';
import type { Lang } from './lang';

/** What a person reads for each protocol error, in both languages; the code is what programs read. */
export const SYNC_ERROR_MESSAGES: Record<Lang, Record<SyncErrorCode, string>> = {
  en: {
    'enrol.codeInvalid': 'The enrolment code is unknown, already used, expired, or made for another server.',
    'enrol.stationExists': 'A station with this id is already enrolled with a different key.',
    'auth.nonce': 'The request’s nonce is unknown, already used or expired: it may be a replayed request.',
    'auth.signature': 'The request’s signature or body hash does not check out against the station’s key.',
    'station.unknown': 'This station is not enrolled on the server.',
    'station.revoked': 'This station’s enrolment has been revoked by an operator.',
    'request.invalid': 'The request is not one the server accepts.',
    'request.throttled': 'Too many requests from this station. Try again in a few minutes.',
    'upload.hashMismatch': 'The uploaded file does not match its SHA-256; it was discarded.',
    'upload.notFound': 'The upload does not exist on the server.',
    'blob.missing': 'A file the commit names has not been uploaded by this station.',
    'commit.refused': 'The server refused the package: it does not verify.',
    'commit.conflict': 'This idempotency key was already used for a different commit.',
    'operator.unauthorized': 'Sign in as an operator to see this.',
    internal: 'The server met an internal error. The operator can find the details in its log.',
  },
  'zh-CN': {
    'enrol.codeInvalid': '注册码无效：未知、已使用、已过期，或属于另一台服务器。',
    'enrol.stationExists': '该工作站编号已使用另一把密钥注册。',
    'auth.nonce': '请求的一次性随机数未知、已使用或已过期：该请求可能是重放。',
    'auth.signature': '请求的签名或正文哈希无法通过该工作站密钥的验证。',
    'station.unknown': '该工作站未在服务器上注册。',
    'station.revoked': '该工作站的注册已被操作员撤销。',
    'request.invalid': '服务器不接受此请求。',
    'request.throttled': '该工作站的请求过多，请几分钟后再试。',
    'upload.hashMismatch': '上传的文件与其 SHA-256 不符，已被丢弃。',
    'upload.notFound': '服务器上不存在该上传。',
    'blob.missing': '提交中列出的某个文件尚未由该工作站上传。',
    'commit.refused': '服务器拒收该证据包：验证未通过。',
    'commit.conflict': '该幂等键已用于另一份不同的提交。',
    'operator.unauthorized': '请以操作员身份登录后查看。',
    internal: '服务器发生内部错误，操作员可在服务器日志中查看详情。',
  },
};
