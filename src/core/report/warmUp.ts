import PDFDocument from 'pdfkit';
import type { ReportFonts } from './fonts';

/**
 * Lays out a throwaway page in both report typefaces, Chinese, Latin and digits, and finishes it
 * (subsetting and compressing the fonts), so a worker kept for reports has that code compiled
 * before the first seal asks for one. Nothing of it is kept or written.
 */
const SAMPLE =
  '电子证据封存报告 案件编号 ZF-2026-00001 v1 证据清单 保管链 哈希值 SHA-256 ' +
  'Evidence report: case, items, custody chain, fingerprint 0123456789 abcdef ABCDEF';

export function warmUpReportFonts(fonts: ReportFonts): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', autoFirstPage: false, compress: true, font: fonts.regular });
    doc.on('data', () => undefined);
    doc.on('end', () => resolve());
    doc.on('error', reject);
    try {
      doc.addPage();
      for (const [font, size] of [
        [fonts.regular, 7.8],
        [fonts.bold, 9.6],
        [fonts.regular, 6.6],
      ] as const) {
        doc.font(font).fontSize(size);
        for (let i = 0; i < 20; i++) doc.text(SAMPLE, { width: 500 });
        doc.widthOfString(SAMPLE);
        doc.heightOfString(SAMPLE, { width: 200 });
      }
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
