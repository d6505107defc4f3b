import type { MediaKind, RecordedAtSource } from '../../shared/schemas';
import type { CaseParty } from '../../shared/reviewSchemas';
import type { PackageItem } from '../../shared/sealSchemas';
import type { Bilingual } from './reportText';

/**
 * Every fixed word of the report, Chinese and English together. The report is a sealed file, not
 * a screen: it does not follow the UI's language setting, and its wording is part of the package's
 * bytes, so changing a label changes every report sealed afterwards (never the ones before).
 */

const b = (zh: string, en: string): Bilingual => ({ zh, en });

export const L = {
  documentTitle: b('电子证据封存报告', 'Sealed Evidence Package Report'),
  documentNote: b(
    '本报告是已封存证据包的一部分（data/report.pdf）。证据包是否完整、未被改动，由清单文件和数字签名证明，而不是由本报告证明：验证方法见最后一页。',
    'This report is part of the sealed package (data/report.pdf). That the package is complete and unchanged is proven by its manifests and digital signature, not by this report: see the last page for how to check it.',
  ),
  caseNumber: b('案件编号', 'Case number'),
  version: b('版本', 'Version'),
  reopenedFrom: b('重新打开自版本', 'reopened from version'),
  title: b('案件名称', 'Title'),
  office: b('办案单位', 'Office'),
  place: b('地点', 'Place'),
  occurredAt: b('发生时间', 'Occurred at'),
  parties: b('当事人', 'Parties'),
  notes: b('备注', 'Notes'),
  caseCreated: b('立案', 'Case opened'),
  sealedBy: b('封存账号', 'Sealed by (account)'),
  sealedAt: b('封存时间', 'Sealed at'),
  station: b('工作站', 'Station'),
  stationId: b('工作站编号', 'station id'),
  keyFingerprint: b('签名公钥指纹', 'Signing key fingerprint'),
  fingerprintNote: b(
    '公钥（seal/station.pub.pem）SPKI DER 编码的 SHA-256',
    'SHA-256 of the public key (seal/station.pub.pem) in SPKI DER encoding',
  ),
  chainHead: b('监管链头', 'Custody chain head'),
  chainHeadNote: b('封存前最后一条监管记录', 'the last custody entry before sealing'),
  contents: b('证据内容', 'Contents'),
  software: b('生成软件', 'Software'),
  none: b('无', 'none'),
  by: b('由', 'by'),

  evidenceSection: b('证据清单', 'Evidence items'),
  evidenceIntro: b(
    '每个文件的 SHA-256 与证据包 manifest-sha256.txt 中的一行相同；大小以字节计。',
    "Each file's SHA-256 is the same as its line in the package's manifest-sha256.txt; sizes are exact byte counts.",
  ),
  colNo: b('序号', 'No.'),
  colName: b('文件名 / 包内路径', 'File name / path in package'),
  colTypeSize: b('类型 / 大小', 'Type / size'),
  colRecorded: b('录制时间 / 来源', 'Recorded / source'),
  colDeviceOfficer: b('设备 / 警员', 'Device / officer'),
  colGps: b('GPS 位置', 'GPS position'),
  sha256: b('SHA-256', 'SHA-256'),
  timeCorrected: b('时间更正', 'Time corrected'),
  firstRead: b('原始读取', 'first read'),
  reason: b('理由', 'reason'),
  offsetAssumed: b('时区为推定', 'offset assumed'),
  altitude: b('海拔', 'alt.'),

  derivedSection: b('剪辑与截图', 'Clips and stills'),
  derivedIntro: b(
    '每段剪辑或截图均由列出的源文件制作；源文件以其 SHA-256 标识。',
    'Each clip or still was made from the source listed, identified by its SHA-256.',
  ),
  colItem: b('剪辑 / 截图', 'Clip / still'),
  colSource: b('源文件', 'Source'),
  colMode: b('方式', 'Mode'),
  colRange: b('时间段', 'Range'),
  colTool: b('工具 / 版本', 'Tool / version'),
  requested: b('请求', 'requested'),
  measured: b('实际', 'actual'),
  sourceSha256: b('源文件 SHA-256', 'Source SHA-256'),
  stillMode: b('截图（单帧）', 'still (one frame)'),

  tagSection: b('违法类型标注', 'Violation tags'),
  tagIntro: b(
    '标注所用的违法类型名称取自标注时的分类版本。',
    'Violation type names are those of the taxonomy version in force when the tag was made.',
  ),
  colItemNo: b('证据序号', 'Item No.'),
  colTagType: b('类型', 'Type'),
  colTagRange: b('时间段', 'Range'),
  colTagNote: b('说明', 'Note'),
  colTagWho: b('标注人 / 时间', 'Tagged by / at'),
  colTaxonomy: b('分类版本', 'Taxonomy'),
  updated: b('修改', 'updated'),
  noTags: b('本案件没有标注。', 'This case has no tags.'),
  noDerived: b('本案件没有剪辑或截图。', 'This case has no clips or stills.'),

  custodySection: b('监管记录', 'Custody entries'),
  custodyIntro: b(
    '本案件及其证据的全部监管记录（截至封存前），按序号排列。每条记录的哈希覆盖其全部字段并链接前一条；完整记录见 data/custody.jsonl。哈希只显示前 12 位。',
    "Every custody entry about the case and its items up to the seal, by sequence number. Each entry's hash covers all its fields and links to the previous entry; the full entries are in data/custody.jsonl. Hashes are shown by their first 12 hex digits.",
  ),
  colSeq: b('序号', 'Seq'),
  colTime: b('时间', 'Time'),
  colActor: b('账号', 'Actor'),
  colAction: b('操作', 'Action'),
  colSubject: b('对象 / 文件 SHA-256', 'Subject / file SHA-256'),
  colEntryHash: b('记录哈希', 'Entry hash'),
  noCustody: b('没有监管记录。', 'No custody entries.'),

  continued: b('续', 'continued'),
  page: b('页', 'Page'),
  truncated: b(
    '（过长，已截断；全文见 report.html 与 case.json）',
    '(too long, cut here; full text in report.html and case.json)',
  ),
} as const;

export const PARTY_KIND: Record<CaseParty['kind'], Bilingual> = {
  business: b('商户', 'Business'),
  person: b('个人', 'Person'),
  vehicle: b('车牌', 'Vehicle plate'),
  other: b('其他', 'Other'),
};

export const MEDIA_KIND: Record<MediaKind, Bilingual> = {
  video: b('视频', 'video'),
  audio: b('音频', 'audio'),
  photo: b('照片', 'photo'),
  other: b('其他', 'other'),
};

export const ORIGIN: Record<PackageItem['origin'], Bilingual> = {
  original: b('原始文件', 'original'),
  clip: b('剪辑', 'clip'),
  still: b('截图', 'still'),
};

export const TIME_SOURCE: Record<RecordedAtSource, Bilingual> = {
  container: b('封装元数据', 'container metadata'),
  exif: b('EXIF', 'EXIF'),
  filename: b('文件名', 'file name'),
  filesystem: b('文件修改时间', 'file modification time'),
  correction: b('人工更正', 'manual correction'),
  derived: b('取自来源录像', 'from the source recording'),
};

/** Clip modes the station knows; an unknown mode is printed as recorded. */
export const CLIP_MODE: Record<string, Bilingual> = {
  lossless: b('无损（不重新编码）', 'lossless (no re-encoding)'),
  exact: b('逐帧精确（重新编码）', 'frame-exact (re-encoded)'),
};

/** Custody actions the station writes; an unknown action is printed as its code alone. */
export const CUSTODY_ACTION: Record<string, Bilingual> = {
  import: b('导入', 'import'),
  'import.start': b('开始导入', 'import started'),
  'import.duplicate': b('重复文件', 'duplicate'),
  'import.failed': b('导入失败', 'import failed'),
  'import.interrupted': b('导入中断', 'import interrupted'),
  'item.view': b('查看', 'viewed'),
  'item.correctTime': b('更正时间', 'time corrected'),
  'clip.create': b('制作剪辑', 'clip made'),
  'still.create': b('制作截图', 'still made'),
  'tag.add': b('添加标注', 'tag added'),
  'tag.update': b('修改标注', 'tag changed'),
  'tag.remove': b('删除标注', 'tag removed'),
  'marker.add': b('添加书签', 'marker added'),
  'marker.remove': b('删除书签', 'marker removed'),
  'case.create': b('创建案件', 'case created'),
  'case.update': b('修改案件', 'case changed'),
  'case.addItem': b('加入案件', 'added to case'),
  'case.removeItem': b('移出案件', 'removed from case'),
  'case.seal': b('封存', 'sealed'),
  'case.reopen': b('重新打开', 'reopened'),
  'case.approve': b('批准', 'approved'),
  'case.reject': b('退回', 'rejected'),
  'case.queue': b('排队上传', 'queued for upload'),
  'case.sync': b('已上传', 'synced'),
  'case.syncRefused': b('服务器拒收', 'refused by the server'),
  'case.export': b('导出', 'exported'),
  'case.hashMismatch': b('哈希不符', 'hash mismatch'),
};
