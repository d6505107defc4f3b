import { DERIVE_PROBLEM_MESSAGES, prefixKeys } from '../../../shared/i18n/messages';

/**
 * Messages of the background-jobs panel and of pictures that could not be made. Same rules as
 * en.ts. Why a derivation failed is `deriveProblem.<code>` from the shared catalogue.
 */
export const jobsEn = {
  'jobs.open': 'Background jobs',
  'jobs.title': 'Background jobs',
  'jobs.idle': 'Nothing is running.',
  'jobs.running': '{running} running, {pending} queued',
  'jobs.failedTitle': 'Failed ({count})',
  'jobs.noFailures': 'Nothing has failed.',
  'jobs.retry': 'Try again',
  'jobs.retryAll': 'Try all again',
  'jobs.retried': '{count} queued again.',
  'jobs.detail': 'The tool said: {detail}',
  'jobs.attempts': 'Tried {count} times',
  'jobs.close': 'Close',
  'jobs.variant.thumbnail': 'Thumbnail',
  'jobs.variant.filmstrip': 'Filmstrip',
  'jobs.variant.proxy': 'Viewing copy',
  'jobs.variant.preview': 'Full-size preview',
  'preview.photoPending':
    'The browser cannot show this photo format; a full-size preview is being made. The original is kept as it is.',
  'preview.photoFailed': 'No preview of this photo: {reason}',
  'preview.none': 'No thumbnail or preview of this photo could be shown.',
  'preview.notShown': 'The browser cannot show this photo and no preview was made.',
  'preview.convertedNote': 'Preview (JPEG made from the original HEIC; the original is kept unchanged)',
  ...prefixKeys('deriveProblem.', DERIVE_PROBLEM_MESSAGES['en']),
} as const;

export const jobsZhCN: Record<keyof typeof jobsEn, string> = {
  'jobs.open': '后台任务',
  'jobs.title': '后台任务',
  'jobs.idle': '当前没有任务在运行。',
  'jobs.running': '{running} 个进行中，{pending} 个排队',
  'jobs.failedTitle': '失败（{count}）',
  'jobs.noFailures': '没有失败的任务。',
  'jobs.retry': '重试',
  'jobs.retryAll': '全部重试',
  'jobs.retried': '已重新排队 {count} 个。',
  'jobs.detail': '工具输出：{detail}',
  'jobs.attempts': '已尝试 {count} 次',
  'jobs.close': '关闭',
  'jobs.variant.thumbnail': '缩略图',
  'jobs.variant.filmstrip': '胶片条',
  'jobs.variant.proxy': '查看副本',
  'jobs.variant.preview': '全尺寸预览',
  'preview.photoPending': '浏览器无法显示此照片格式，正在生成全尺寸预览。原始文件保持不变。',
  'preview.photoFailed': '此照片没有预览：{reason}',
  'preview.none': '无法显示此照片的缩略图或预览。',
  'preview.notShown': '浏览器无法显示此照片，且未生成预览。',
  'preview.convertedNote': '预览（由原始 HEIC 生成的 JPEG，原始文件保持不变）',
  ...prefixKeys('deriveProblem.', DERIVE_PROBLEM_MESSAGES['zh-CN']),
};
