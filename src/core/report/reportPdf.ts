import PDFDocument from 'pdfkit';
import type { ReportFonts } from './fonts';
import { L } from './reportLabels';
import {
  both,
  type CoverField,
  type Line,
  type LineStyle,
  type ReportModel,
  type ReportTable,
  type RowNote,
  type TableRow,
} from './reportModel';
import type { Bilingual } from './reportText';
import type { VerifyStep } from './verifyInstructions';

/**
 * Lays the report model out as an A4 PDF with pdfkit. Everything is black on white, with light
 * grey fills that only group (never mean anything), so a black-and-white copy says all of it.
 * Pagination is ours, not pdfkit's: each table row is measured first and moved whole to the next
 * page (with the header repeated), and the footer is drawn on every page once the count is known.
 *
 * Same model, same bytes: the document's dates come from the seal time, its ID is pdfkit's hash
 * of that info dictionary, font subset tags follow the order fonts are first used, and zlib is
 * deterministic. Nothing here reads the clock or a random source.
 */

type Doc = PDFKit.PDFDocument;

const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { left: 40, right: 40, top: 42 };
/** Content stops here; the footer lives below. */
const CONTENT_BOTTOM = 776;
const FOOTER_TOP = 788;
const CONTENT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;

const INK = '#000000';
const RULE = '#555555';
const FILL_HEADER = '#e4e4e4';
const FILL_ZEBRA = '#f4f4f4';
const FILL_BOX = '#f0f0f0';

const CELL_PAD_X = 3;
const CELL_PAD_Y = 2.5;
const LINE_GAP = 0.6;

interface RowLayout {
  height: number;
  /** Per cell, the height of each of its lines. */
  lineHeights: number[][];
  cellsHeight: number;
  noteHeights: number[];
}

interface Fonts {
  regular: string;
  bold: string;
}

const STYLE: Record<LineStyle, { bold: boolean; size: number }> = {
  text: { bold: false, size: 7.8 },
  strong: { bold: true, size: 7.8 },
  small: { bold: false, size: 6.6 },
  code: { bold: false, size: 7.2 },
  fingerprint: { bold: true, size: 9.6 },
};

class ReportWriter {
  private y = MARGIN.top;

  constructor(
    private readonly doc: Doc,
    private readonly fonts: Fonts,
    private readonly model: ReportModel,
  ) {}

  private use(bold: boolean, size: number): void {
    this.doc.font(bold ? this.fonts.bold : this.fonts.regular).fontSize(size);
  }

  private useStyle(style: LineStyle): void {
    const s = STYLE[style];
    this.use(s.bold, s.size);
  }

  private newPage(): void {
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  private ensure(height: number): boolean {
    if (this.y + height <= CONTENT_BOTTOM) return false;
    this.newPage();
    return true;
  }

  private measure(text: string, width: number): number {
    // Most cells are one short line: measured by width alone (cached per word by pdfkit), which is
    // what pdfkit's own wrapper would find, at a fraction of its cost on a 2,000-row table.
    if (!text.includes('\n') && this.doc.widthOfString(text) <= width) {
      return this.doc.currentLineHeight(true) + LINE_GAP;
    }
    return this.doc.heightOfString(text, { width, lineGap: LINE_GAP });
  }

  private write(text: string, x: number, y: number, width: number): void {
    this.doc.fillColor(INK).text(text, x, y, { width, lineGap: LINE_GAP });
  }

  private lineHeights(lines: Line[], width: number): number[] {
    return lines.map((line) => {
      this.useStyle(line.style);
      return this.measure(line.text, width);
    });
  }

  private drawLines(lines: Line[], heights: number[], x: number, y: number, width: number): void {
    let at = y;
    lines.forEach((line, i) => {
      this.useStyle(line.style);
      this.write(line.text, x, at, width);
      at += heights[i] ?? 0;
    });
  }

  /** Chinese above, English below, as every label of the report. */
  private bilingualHeight(label: Bilingual, width: number, zhSize: number, enSize: number): number {
    this.use(true, zhSize);
    const zh = this.measure(label.zh, width);
    this.use(false, enSize);
    return zh + this.measure(label.en, width);
  }

  private drawBilingual(label: Bilingual, x: number, y: number, width: number, zhSize: number, enSize: number): void {
    this.use(true, zhSize);
    this.write(label.zh, x, y, width);
    const zh = this.measure(label.zh, width);
    this.use(false, enSize);
    this.write(label.en, x, y + zh, width);
  }

  private rule(y: number, weight: number, color = RULE, x = MARGIN.left, width = CONTENT_WIDTH): void {
    this.doc
      .moveTo(x, y)
      .lineTo(x + width, y)
      .lineWidth(weight)
      .strokeColor(color)
      .stroke();
  }

  private fill(x: number, y: number, width: number, height: number, color: string): void {
    this.doc.rect(x, y, width, height).fillColor(color).fill();
    this.doc.fillColor(INK);
  }

  /* ---------- cover ---------- */

  cover(): void {
    const { model } = this;
    this.use(true, 20);
    this.write(L.documentTitle.zh, MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += this.measure(L.documentTitle.zh, CONTENT_WIDTH);
    this.use(false, 12);
    this.write(L.documentTitle.en, MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += this.measure(L.documentTitle.en, CONTENT_WIDTH) + 6;
    this.rule(this.y, 1.5, INK);
    this.y += 10;

    this.use(false, 8);
    this.write(both(L.caseNumber), MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += this.measure(both(L.caseNumber), CONTENT_WIDTH);
    this.use(true, 16);
    const headline = `${model.caseNumber}   ${L.version.zh} ${L.version.en} ${model.version}`;
    this.write(headline, MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += this.measure(headline, CONTENT_WIDTH);
    if (model.reopenedFrom !== null) {
      this.use(false, 8.5);
      this.write(model.reopenedFrom, MARGIN.left, this.y, CONTENT_WIDTH);
      this.y += this.measure(model.reopenedFrom, CONTENT_WIDTH);
    }
    this.y += 2;
    this.use(true, 12);
    this.write(model.title, MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += this.measure(model.title, CONTENT_WIDTH) + 12;

    for (const field of model.cover) this.coverField(field);
    this.y += 12;
    this.noteBox(L.documentNote);
  }

  private coverField(field: CoverField): void {
    const labelWidth = 130;
    const valueX = MARGIN.left + labelWidth + 8;
    const valueWidth = CONTENT_WIDTH - labelWidth - 8;
    const lines = field.lines;
    const height =
      Math.max(this.bilingualHeight(field.label, labelWidth, 8.5, 6.8), this.coverLinesHeight(lines, valueWidth)) + 7;
    this.ensure(height);
    this.drawBilingual(field.label, MARGIN.left, this.y + 3, labelWidth, 8.5, 6.8);
    this.drawCoverLines(lines, valueX, this.y + 3, valueWidth);
    this.y += height;
    this.rule(this.y, 0.3);
  }

  /** Cover values print a size larger than table cells. */
  private coverStyle(style: LineStyle): void {
    const s = STYLE[style];
    this.use(s.bold, s.size + 1.6);
  }

  private coverLinesHeight(lines: Line[], width: number): number {
    let h = 0;
    for (const line of lines) {
      this.coverStyle(line.style);
      h += this.measure(line.text, width);
    }
    return h;
  }

  private drawCoverLines(lines: Line[], x: number, y: number, width: number): void {
    let at = y;
    for (const line of lines) {
      this.coverStyle(line.style);
      this.write(line.text, x, at, width);
      at += this.measure(line.text, width);
    }
  }

  private noteBox(note: Bilingual): void {
    const pad = 7;
    const width = CONTENT_WIDTH - 2 * pad;
    this.use(false, 8);
    const zh = this.measure(note.zh, width);
    this.use(false, 7.2);
    const en = this.measure(note.en, width);
    const height = zh + en + 3 + 2 * pad;
    this.ensure(height);
    this.doc.rect(MARGIN.left, this.y, CONTENT_WIDTH, height).lineWidth(0.8).strokeColor(INK).stroke();
    this.use(false, 8);
    this.write(note.zh, MARGIN.left + pad, this.y + pad, width);
    this.use(false, 7.2);
    this.write(note.en, MARGIN.left + pad, this.y + pad + zh + 3, width);
    this.y += height;
  }

  /* ---------- tables ---------- */

  private sectionHeading(number: number, heading: Bilingual, continued: boolean): number {
    this.use(true, 13);
    const zh = `${number}  ${heading.zh}`;
    const h = this.measure(zh, CONTENT_WIDTH);
    const zhWidth = this.doc.widthOfString(zh);
    this.write(zh, MARGIN.left, this.y, CONTENT_WIDTH);
    const en = continued ? `${heading.en} (${L.continued.zh} ${L.continued.en})` : heading.en;
    this.use(false, 10);
    this.write(en, MARGIN.left + zhWidth + 10, this.y + 2.6, CONTENT_WIDTH - zhWidth - 10);
    return h + 4;
  }

  table(number: number, table: ReportTable, newPage: boolean): void {
    if (newPage) this.newPage();
    const xs: number[] = [];
    const widths: number[] = [];
    const share = table.columns.reduce((sum, c) => sum + c.width, 0);
    let x = MARGIN.left;
    for (const column of table.columns) {
      const w = (column.width / share) * CONTENT_WIDTH;
      xs.push(x);
      widths.push(w);
      x += w;
    }
    const innerWidths = widths.map((w) => w - 2 * CELL_PAD_X);

    this.use(false, 7.6);
    const introZh = this.measure(table.intro.zh, CONTENT_WIDTH);
    this.use(false, 6.8);
    const introEn = this.measure(table.intro.en, CONTENT_WIDTH);
    const headerHeight =
      Math.max(...table.columns.map((c, i) => this.bilingualHeight(c.label, innerWidths[i] ?? 0, 7.4, 6.4))) +
      2 * CELL_PAD_Y;
    const firstRow = table.rows[0];
    const firstNoteWidth = MARGIN.left + CONTENT_WIDTH - (xs[1] ?? MARGIN.left) - 2 * CELL_PAD_X;
    const firstRowHeight = firstRow ? this.layoutRow(firstRow, innerWidths, firstNoteWidth).height : 20;
    // Keep the heading with the header and the first row.
    this.ensure(24 + introZh + introEn + 6 + headerHeight + firstRowHeight);

    this.y += this.sectionHeading(number, table.heading, false);
    this.use(false, 7.6);
    this.write(table.intro.zh, MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += introZh;
    this.use(false, 6.8);
    this.write(table.intro.en, MARGIN.left, this.y, CONTENT_WIDTH);
    this.y += introEn + 6;

    if (table.rows.length === 0) {
      this.use(false, 8);
      const text = `${table.empty.zh} ${table.empty.en}`;
      this.write(text, MARGIN.left, this.y, CONTENT_WIDTH);
      this.y += this.measure(text, CONTENT_WIDTH) + 16;
      return;
    }

    const drawHeader = (): void => {
      this.fill(MARGIN.left, this.y, CONTENT_WIDTH, headerHeight, FILL_HEADER);
      table.columns.forEach((c, i) =>
        this.drawBilingual(c.label, (xs[i] ?? 0) + CELL_PAD_X, this.y + CELL_PAD_Y, innerWidths[i] ?? 0, 7.4, 6.4),
      );
      this.rule(this.y, 0.8, INK);
      this.y += headerHeight;
      this.rule(this.y, 0.8, INK);
    };
    drawHeader();

    const noteX = (xs[1] ?? MARGIN.left) + CELL_PAD_X;
    const noteWidth = MARGIN.left + CONTENT_WIDTH - noteX - CELL_PAD_X;
    table.rows.forEach((row, index) => {
      const layout = this.layoutRow(row, innerWidths, noteWidth);
      if (this.ensure(layout.height)) {
        this.y += this.sectionHeading(number, table.heading, true);
        drawHeader();
      }
      if (index % 2 === 1) this.fill(MARGIN.left, this.y, CONTENT_WIDTH, layout.height, FILL_ZEBRA);
      row.cells.forEach((lines, i) => {
        this.drawLines(
          lines,
          layout.lineHeights[i] ?? [],
          (xs[i] ?? 0) + CELL_PAD_X,
          this.y + CELL_PAD_Y,
          innerWidths[i] ?? 0,
        );
      });
      let noteY = this.y + CELL_PAD_Y + layout.cellsHeight + 1;
      row.notes.forEach((note, i) => {
        this.drawNote(note, noteX, noteY, noteWidth);
        noteY += layout.noteHeights[i] ?? 0;
      });
      this.y += layout.height;
      this.rule(this.y, 0.3);
    });
    this.y += 16;
  }

  /** Measures a row once: its height decides the page, its line heights place the text. */
  private layoutRow(row: TableRow, innerWidths: number[], noteWidth: number): RowLayout {
    const lineHeights = row.cells.map((lines, i) => this.lineHeights(lines, innerWidths[i] ?? 0));
    const cellsHeight = Math.max(0, ...lineHeights.map((hs) => hs.reduce((a, b) => a + b, 0)));
    const noteHeights = row.notes.map((note) => this.noteHeight(note, noteWidth));
    const notesHeight = noteHeights.reduce((a, b) => a + b, 0);
    const height = cellsHeight + (row.notes.length > 0 ? notesHeight + 1 : 0) + 2 * CELL_PAD_Y;
    return { height, lineHeights, cellsHeight, noteHeights };
  }

  private static readonly NOTE_LABEL_WIDTH = 104;

  private noteHeight(note: RowNote, width: number): number {
    const labelW = ReportWriter.NOTE_LABEL_WIDTH;
    this.use(true, 6.6);
    const label = this.measure(both(note.label), labelW);
    this.useStyle(note.code ? 'code' : 'small');
    return Math.max(label, this.measure(note.text, width - labelW - 4));
  }

  private drawNote(note: RowNote, x: number, y: number, width: number): void {
    const labelW = ReportWriter.NOTE_LABEL_WIDTH;
    this.use(true, 6.6);
    this.write(both(note.label), x, y + (note.code ? 0.4 : 0), labelW);
    this.useStyle(note.code ? 'code' : 'small');
    this.write(note.text, x + labelW + 4, y, width - labelW - 4);
  }

  /* ---------- how to verify ---------- */

  verifyPage(number: number): void {
    const v = this.model.verify;
    this.newPage();
    this.y += this.sectionHeading(number, v.heading, false);
    this.paragraph(v.intro, 8.2, 7.4);
    this.y += 4;
    for (const step of v.steps) this.verifyStep(step);
    this.y += 2;
    this.noteBox(v.conclusion);
  }

  private paragraph(text: Bilingual, zhSize: number, enSize: number): void {
    this.use(false, zhSize);
    const zh = this.measure(text.zh, CONTENT_WIDTH);
    this.use(false, enSize);
    const en = this.measure(text.en, CONTENT_WIDTH);
    this.ensure(zh + en);
    this.use(false, zhSize);
    this.write(text.zh, MARGIN.left, this.y, CONTENT_WIDTH);
    this.use(false, enSize);
    this.write(text.en, MARGIN.left, this.y + zh, CONTENT_WIDTH);
    this.y += zh + en;
  }

  /** The largest size at which `command` fits on one line of the box, so it copies as one line. */
  private commandSize(command: string, width: number): number {
    for (let size = 8.6; size > 5; size -= 0.2) {
      this.use(false, size);
      if (this.doc.widthOfString(command) <= width) return size;
    }
    return 5;
  }

  /**
   * A bold Chinese heading with its English on the same line when it fits (below when not); one
   * word when both languages write it the same. Measures only, unless `draw`.
   */
  private headingLine(label: Bilingual, zhSize: number, enSize: number, draw = false): number {
    this.use(true, zhSize);
    const zhWidth = this.doc.widthOfString(label.zh);
    const zhHeight = this.measure(label.zh, CONTENT_WIDTH);
    if (draw) this.write(label.zh, MARGIN.left, this.y, CONTENT_WIDTH);
    if (label.zh === label.en) return zhHeight;
    this.use(false, enSize);
    const gap = 8;
    const enWidth = this.doc.widthOfString(label.en);
    if (zhWidth + gap + enWidth <= CONTENT_WIDTH) {
      if (draw)
        this.write(
          label.en,
          MARGIN.left + zhWidth + gap,
          this.y + (zhSize - enSize) * 0.75,
          CONTENT_WIDTH - zhWidth - gap,
        );
      return zhHeight;
    }
    const enHeight = this.measure(label.en, CONTENT_WIDTH);
    if (draw) this.write(label.en, MARGIN.left, this.y + zhHeight, CONTENT_WIDTH);
    return zhHeight + enHeight;
  }

  private verifyStep(step: VerifyStep): void {
    const boxPad = 5;
    const boxWidth = CONTENT_WIDTH - 12;
    const sizes = step.commands.map((c) => this.commandSize(c, boxWidth - 2 * boxPad));
    const commandsHeight = step.commands.reduce(
      (h, c, i) => (this.use(false, sizes[i] ?? 7), h + this.measure(c, 10_000)),
      0,
    );
    const titleHeight = this.headingLine(step.title, 9, 7.8);
    this.use(false, 7.8);
    const meaningZh = this.measure(step.meaning.zh, CONTENT_WIDTH - 12);
    this.use(false, 7.2);
    const meaningEn = this.measure(step.meaning.en, CONTENT_WIDTH - 12);
    const compareHeight = step.compare ? 30 : 0;
    this.ensure(titleHeight + 2 + commandsHeight + 2 * boxPad + 3 + meaningZh + meaningEn + compareHeight + 8);

    this.y += this.headingLine(step.title, 9, 7.8, true) + 2;

    const boxX = MARGIN.left + 12;
    const boxHeight = commandsHeight + 2 * boxPad;
    this.fill(boxX, this.y, boxWidth, boxHeight, FILL_BOX);
    this.doc.rect(boxX, this.y, boxWidth, boxHeight).lineWidth(0.6).strokeColor(INK).stroke();
    let at = this.y + boxPad;
    step.commands.forEach((command, i) => {
      this.use(false, sizes[i] ?? 7);
      this.doc.fillColor(INK).text(command, boxX + boxPad, at, { lineBreak: false });
      at += this.measure(command, 10_000);
    });
    this.y += boxHeight + 3;

    this.use(false, 7.8);
    this.write(step.meaning.zh, MARGIN.left + 12, this.y, CONTENT_WIDTH - 12);
    this.y += meaningZh;
    this.use(false, 7.2);
    this.write(step.meaning.en, MARGIN.left + 12, this.y, CONTENT_WIDTH - 12);
    this.y += meaningEn;

    if (step.compare) {
      this.y += 3;
      this.use(true, 7.4);
      const label = `${both(step.compare.label)}:`;
      this.write(label, MARGIN.left + 12, this.y, CONTENT_WIDTH - 12);
      this.y += this.measure(label, CONTENT_WIDTH - 12);
      this.use(true, 11);
      this.write(step.compare.value, MARGIN.left + 12, this.y, CONTENT_WIDTH - 12);
      this.y += this.measure(step.compare.value, CONTENT_WIDTH - 12);
    }
    this.y += 8;
  }

  /* ---------- footer ---------- */

  footers(): void {
    const { model, doc } = this;
    const range = doc.bufferedPageRange();
    const total = range.count;
    const left = `${L.caseNumber.zh} Case ${model.caseNumber} · ${L.version.zh} ${L.version.en} ${model.version}`;
    const fingerprint = `${L.keyFingerprint.zh} Key fingerprint: ${model.fingerprintGrouped}`;
    for (let i = 0; i < total; i++) {
      doc.switchToPage(range.start + i);
      this.rule(FOOTER_TOP, 0.6, INK);
      const page = `第 ${i + 1} / ${total} 页 · Page ${i + 1} / ${total}`;
      this.use(false, 7);
      doc.fillColor(INK).text(left, MARGIN.left, FOOTER_TOP + 5, { lineBreak: false });
      const pageWidth = doc.widthOfString(page);
      doc.text(page, MARGIN.left + CONTENT_WIDTH - pageWidth, FOOTER_TOP + 5, { lineBreak: false });
      this.use(false, 6.6);
      doc.text(fingerprint, MARGIN.left, FOOTER_TOP + 16, { lineBreak: false });
    }
  }
}

/** Renders the model; resolves with the whole PDF (a few hundred kilobytes even for large cases). */
export function renderReportPdf(model: ReportModel, fonts: ReportFonts): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const title = `${L.documentTitle.zh} ${model.caseNumber} v${model.version}`;
    const doc = new PDFDocument({
      size: 'A4',
      margins: { top: MARGIN.top, left: MARGIN.left, right: MARGIN.right, bottom: 10 },
      autoFirstPage: false,
      bufferPages: true,
      compress: true,
      lang: 'zh-CN',
      displayTitle: true,
      // The default (Helvetica) would be loaded, though never drawn; start with our own font instead.
      font: fonts.regular,
      info: {
        Title: title,
        Subject: `${L.documentTitle.en} ${model.caseNumber} v${model.version}`,
        Creator: model.producer,
        Producer: model.producer,
        CreationDate: model.sealedAt,
        ModDate: model.sealedAt,
      },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      const writer = new ReportWriter(doc, fonts, model);
      doc.addPage();
      writer.cover();
      model.tables.forEach((table, i) => writer.table(i + 1, table, i === 0));
      writer.verifyPage(model.tables.length + 1);
      writer.footers();
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
