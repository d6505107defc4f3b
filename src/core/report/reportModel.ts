import { z } from 'zod';
import { IsoInstant, RecordedAtSource, TimeCorrection, type CustodyEntry } from '../../shared/schemas';
import type { CaseJson, PackageItem } from '../../shared/sealSchemas';
import { canonicalJson } from '../util/canonicalJson';
import { groupFingerprint } from '../keys/fingerprint';
import { CLIP_MODE, CUSTODY_ACTION, L, MEDIA_KIND, ORIGIN, PARTY_KIND, TIME_SOURCE } from './reportLabels';
import {
  formatBytes,
  formatInstant,
  formatMediaTime,
  formatRange,
  groupDigits,
  shortHash,
  visibleText,
  type Bilingual,
} from './reportText';
import { verifyInstructions, type VerifyInstructions } from './verifyInstructions';

/**
 * What the report says, decided once and printed twice: `reportPdf` and `reportHtml` only lay
 * this out, so the PDF a clerk prints and the HTML a screen reader reads cannot say different
 * things. Pure: every string from the case passes through `visibleText` here, and is cut to a
 * bounded length, before either renderer sees it.
 */

/** `fingerprint`: the key fingerprint, large enough to read aloud and compare by eye. */
export type LineStyle = 'text' | 'strong' | 'small' | 'code' | 'fingerprint';

export interface Line {
  text: string;
  style: LineStyle;
}

export interface Column {
  label: Bilingual;
  /** Share of the table's width. */
  width: number;
}

/** A full-width line under a row: a value too long for any column (a SHA-256, a correction). */
export interface RowNote {
  label: Bilingual;
  text: string;
  code: boolean;
}

export interface TableRow {
  cells: Line[][];
  notes: RowNote[];
}

export interface ReportTable {
  id: string;
  heading: Bilingual;
  intro: Bilingual;
  empty: Bilingual;
  columns: Column[];
  rows: TableRow[];
}

export interface CoverField {
  label: Bilingual;
  lines: Line[];
}

export interface ReportModel {
  caseNumber: string;
  version: number;
  /** `重新打开自版本 reopened from version 1` for a version made by reopening, else null. */
  reopenedFrom: string | null;
  packageName: string;
  title: string;
  fingerprint: string;
  fingerprintGrouped: string;
  /** The seal time: the PDF's creation and modification date, so the same case gives the same bytes. */
  sealedAt: Date;
  producer: string;
  cover: CoverField[];
  tables: ReportTable[];
  verify: VerifyInstructions;
}

/** Longest value printed in a cell or note; a longer one (a hostile file name) is cut and says so. */
const MAX_CELL_CHARS = 300;
const MAX_NOTE_CHARS = 1200;

export function clip(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return `${chars.slice(0, max).join('')}… ${L.truncated.zh} ${L.truncated.en}`;
}

const cell = (value: string, style: LineStyle = 'text'): Line => ({
  text: clip(visibleText(value), MAX_CELL_CHARS),
  style,
});
const fixed = (text: string, style: LineStyle = 'text'): Line => ({ text, style });
/** `中文 English`, or the one word when both languages write it the same (`EXIF`, `SHA-256`). */
export const both = (label: Bilingual): string => (label.zh === label.en ? label.zh : `${label.zh} ${label.en}`);

/** A value from the case over a smaller one beside it: a name over its path, a tool over its version. */
const pair = (main: string, sub: string, mainStyle: LineStyle = 'text'): Line[] => [
  cell(main, mainStyle),
  cell(sub, 'small'),
];
/** The first cell of an item's rows: its number in the evidence table, which the other tables cite. */
const itemNoCell = (index: number): Line[] => [fixed(String(index + 1), 'strong')];
const itemNameCell = (item: PackageItem): Line[] => pair(item.originalName, item.bagPath, 'strong');

/** The shape the seal step gives `timeProvenance`; anything else is printed as it stands. */
const TimeProvenanceView = z.object({
  originalRecordedAt: IsoInstant.nullable().optional(),
  originalSource: RecordedAtSource.nullable().optional(),
  corrections: z.array(TimeCorrection).optional(),
});

function timeNotes(item: PackageItem): RowNote[] {
  const provenance = item.timeProvenance;
  if (Object.keys(provenance).length === 0) return [];
  const parsed = TimeProvenanceView.safeParse(provenance);
  if (!parsed.success) {
    return [{ label: L.timeCorrected, text: clip(visibleText(canonicalJson(provenance)), MAX_NOTE_CHARS), code: true }];
  }
  const corrections = parsed.data.corrections ?? [];
  if (corrections.length === 0) return [];
  const first = parsed.data.originalRecordedAt;
  const source = parsed.data.originalSource;
  const notes: RowNote[] = [];
  if (first !== undefined) {
    const from = source ? ` (${both(TIME_SOURCE[source])})` : '';
    notes.push({ label: L.firstRead, text: `${formatInstant(first)}${from}`, code: false });
  }
  for (const c of corrections) {
    const text =
      `${formatInstant(c.previous)} → ${formatInstant(c.recordedAt)} · ` +
      `${both(L.reason)}: ${visibleText(c.reason)} · ${both(L.by)} ${visibleText(c.by)}, ${formatInstant(c.at)}`;
    notes.push({ label: L.timeCorrected, text: clip(text, MAX_NOTE_CHARS), code: false });
  }
  return notes;
}

/** Degrees to six decimals (about 0.1 m) with the hemisphere; case.json keeps the value as read. */
function formatCoordinate(value: number, positive: string, negative: string): string {
  return `${Math.abs(value).toFixed(6)}° ${value < 0 ? negative : positive}`;
}

function gpsLines(item: PackageItem): Line[] {
  if (item.gps === null) return [fixed('—')];
  const lines = [
    fixed(formatCoordinate(item.gps.lat, 'N', 'S'), 'code'),
    fixed(formatCoordinate(item.gps.lon, 'E', 'W'), 'code'),
  ];
  if (item.gps.alt !== undefined) lines.push(fixed(`${both(L.altitude)} ${item.gps.alt} m`, 'small'));
  return lines;
}

function evidenceTable(items: PackageItem[]): ReportTable {
  const rows = items.map((item, i): TableRow => {
    const size = formatBytes(item.size);
    const kind = MEDIA_KIND[item.media.kind];
    const duration =
      item.media.durationSec !== undefined ? [fixed(formatMediaTime(item.media.durationSec), 'small')] : [];
    const source = item.recordedAtSource ? both(TIME_SOURCE[item.recordedAtSource]) : '—';
    const assumed = item.media.offsetKnown === false ? [fixed(both(L.offsetAssumed), 'small')] : [];
    return {
      cells: [
        itemNoCell(i),
        itemNameCell(item),
        [
          fixed(`${kind.zh} ${kind.en}`, 'small'),
          fixed(both(ORIGIN[item.origin]), 'small'),
          ...duration,
          fixed(size.short),
          fixed(size.exact, 'small'),
        ],
        [fixed(formatInstant(item.recordedAt)), fixed(source, 'small'), ...assumed],
        pair(item.deviceId ?? '—', item.officerId ?? '—'),
        gpsLines(item),
      ],
      notes: [{ label: L.sha256, text: item.sha256, code: true }, ...timeNotes(item)],
    };
  });
  return {
    id: 'evidence',
    heading: L.evidenceSection,
    intro: L.evidenceIntro,
    empty: L.none,
    columns: [
      { label: L.colNo, width: 5 },
      { label: L.colName, width: 30 },
      { label: L.colTypeSize, width: 15 },
      { label: L.colRecorded, width: 22 },
      { label: L.colDeviceOfficer, width: 14 },
      { label: L.colGps, width: 14 },
    ],
    rows,
  };
}

const Measured = z.object({ fromSec: z.number().nullable().optional(), toSec: z.number().nullable().optional() });
const ProvenanceView = z.object({
  tool: z.string().optional(),
  toolVersion: z.string().optional(),
  measured: Measured.optional(),
  frameSec: z.number().optional(),
  source: z.object({ originalName: z.string().optional() }).optional(),
});

function derivedTable(items: PackageItem[]): ReportTable {
  const numberOf = new Map(items.map((item, i) => [item.sha256, i + 1]));
  const rows: TableRow[] = [];
  items.forEach((item, i) => {
    const d = item.derivation;
    if (d === null) return;
    const p = ProvenanceView.safeParse(d.provenance);
    const prov = p.success ? p.data : {};
    const sourceNo = numberOf.get(d.sourceSha256);
    const sourceItem = sourceNo !== undefined ? items[sourceNo - 1] : undefined;
    const sourceName = sourceItem?.originalName ?? prov.source?.originalName ?? '—';
    const isStill = item.origin === 'still';
    const mode = isStill ? L.stillMode : (CLIP_MODE[d.mode] ?? { zh: d.mode, en: '' });
    const measured = isStill
      ? formatRange(prov.frameSec ?? null, null)
      : formatRange(prov.measured?.fromSec ?? null, prov.measured?.toSec ?? null);
    rows.push({
      cells: [
        itemNoCell(i),
        itemNameCell(item),
        [cell(sourceName), fixed(sourceNo !== undefined ? `${both(L.colItemNo)} ${sourceNo}` : '—', 'small')],
        pair(mode.zh, mode.en),
        [
          fixed(`${both(L.requested)}: ${formatRange(d.fromSec, d.toSec)}`, 'small'),
          fixed(`${both(L.measured)}: ${measured}`, 'small'),
        ],
        pair(prov.tool ?? '—', prov.toolVersion ?? '—'),
      ],
      notes: [{ label: L.sourceSha256, text: d.sourceSha256, code: true }],
    });
  });
  return {
    id: 'derived',
    heading: L.derivedSection,
    intro: L.derivedIntro,
    empty: L.noDerived,
    columns: [
      { label: L.colNo, width: 5 },
      { label: L.colItem, width: 26 },
      { label: L.colSource, width: 22 },
      { label: L.colMode, width: 13 },
      { label: L.colRange, width: 20 },
      { label: L.colTool, width: 14 },
    ],
    rows,
  };
}

function tagTable(items: PackageItem[]): ReportTable {
  const rows: TableRow[] = [];
  items.forEach((item, i) => {
    for (const tag of item.tags) {
      const who = [cell(tag.createdBy), fixed(formatInstant(tag.createdAt), 'small')];
      if (tag.updatedAt !== tag.createdAt || tag.updatedBy !== tag.createdBy) {
        who.push(cell(`${both(L.updated)}: ${tag.updatedBy}`, 'small'), fixed(formatInstant(tag.updatedAt), 'small'));
      }
      rows.push({
        cells: [
          itemNoCell(i),
          [cell(tag.label.zh, 'strong'), cell(tag.label.en, 'small'), cell(tag.code, 'code')],
          [fixed(formatRange(tag.fromSec, tag.toSec))],
          [cell(tag.note === '' ? '—' : tag.note)],
          who,
          [fixed(`v${tag.taxonomyVersion}`)],
        ],
        notes: [],
      });
    }
  });
  return {
    id: 'tags',
    heading: L.tagSection,
    intro: L.tagIntro,
    empty: L.noTags,
    columns: [
      { label: L.colItemNo, width: 7 },
      { label: L.colTagType, width: 19 },
      { label: L.colTagRange, width: 17 },
      { label: L.colTagNote, width: 27 },
      { label: L.colTagWho, width: 20 },
      { label: L.colTaxonomy, width: 10 },
    ],
    rows,
  };
}

/** `查看 item.view`: the code is what the chain holds; the Chinese name helps the reader. */
function actionText(action: string): string {
  const label = CUSTODY_ACTION[action];
  return label === undefined ? action : `${label.zh} ${action}`;
}

function custodyTable(caseJson: CaseJson, custody: CustodyEntry[]): ReportTable {
  const itemNo = new Map(caseJson.items.map((item, i) => [item.id, i + 1]));
  const subjectOf = (entry: CustodyEntry): Line => {
    const sha = entry.sha256 === null ? '' : ` · ${shortHash(entry.sha256)}`;
    if (entry.subject === null) return fixed(entry.sha256 === null ? '—' : shortHash(entry.sha256), 'code');
    if (entry.subject === caseJson.case.id) return fixed(`本案件 this case${sha}`);
    const no = itemNo.get(entry.subject);
    if (no !== undefined) return fixed(`证据 Item ${no}${sha}`);
    return cell(`${entry.subject}${sha}`, 'small');
  };
  // One line per entry where it fits: a 2,000-entry case stays about thirty pages.
  const rows = custody.map((entry): TableRow => ({
    cells: [
      [fixed(String(entry.seq), 'strong')],
      [fixed(formatInstant(entry.at))],
      [cell(entry.actor)],
      [cell(actionText(entry.action))],
      [subjectOf(entry)],
      [fixed(shortHash(entry.hash), 'code')],
    ],
    notes: [],
  }));
  return {
    id: 'custody',
    heading: L.custodySection,
    intro: L.custodyIntro,
    empty: L.noCustody,
    columns: [
      { label: L.colSeq, width: 7 },
      { label: L.colTime, width: 21.5 },
      { label: L.colActor, width: 12 },
      { label: L.colAction, width: 20 },
      { label: L.colSubject, width: 25.5 },
      { label: L.colEntryHash, width: 14 },
    ],
    rows,
  };
}

function contentsLine(items: PackageItem[]): Line[] {
  const count = (origin: PackageItem['origin']): number => items.filter((i) => i.origin === origin).length;
  const total = formatBytes(items.reduce((sum, i) => sum + i.size, 0));
  return [
    fixed(
      `${ORIGIN.original.zh} ${count('original')} · ${ORIGIN.clip.zh} ${count('clip')} · ${ORIGIN.still.zh} ${count('still')} · ` +
        `共 ${groupDigits(items.length)} 个文件，${total.short}（${total.exact}）`,
    ),
    fixed(
      `originals: ${count('original')} · clips: ${count('clip')} · stills: ${count('still')} · ` +
        `files in all: ${groupDigits(items.length)}, ${total.short} (${total.exact})`,
      'small',
    ),
  ];
}

/** Two rows of eight groups: a grid the eye can compare group by group, never wrapped mid-way. */
function fingerprintLines(fingerprint: string): Line[] {
  const groups = groupFingerprint(fingerprint).split(' ');
  return [fixed(groups.slice(0, 8).join(' '), 'fingerprint'), fixed(groups.slice(8).join(' '), 'fingerprint')];
}

function coverFields(caseJson: CaseJson): CoverField[] {
  const c = caseJson.case;
  const s = caseJson.seal;
  const parties =
    c.parties.length === 0
      ? [fixed('—')]
      : c.parties.map((p) =>
          cell(
            `${PARTY_KIND[p.kind].zh} ${PARTY_KIND[p.kind].en}: ${p.name}${p.detail === '' ? '' : ` — ${p.detail}`}`,
          ),
        );
  const software = caseJson.software;
  // The case number, version and title head the cover in large type (`ReportModel`), not here again.
  const fields: CoverField[] = [
    { label: L.office, lines: [cell(s.office)] },
    { label: L.place, lines: [cell(c.place === '' ? '—' : c.place)] },
    { label: L.occurredAt, lines: [fixed(formatInstant(c.occurredAt))] },
    { label: L.parties, lines: parties },
  ];
  if (c.notes !== '')
    fields.push({ label: L.notes, lines: [{ text: clip(visibleText(c.notes), MAX_NOTE_CHARS), style: 'text' }] });
  fields.push(
    { label: L.caseCreated, lines: [cell(`${formatInstant(c.createdAt)} · ${c.createdBy}`)] },
    { label: L.sealedBy, lines: [cell(s.sealedBy, 'strong')] },
    { label: L.sealedAt, lines: [fixed(formatInstant(s.sealedAt), 'strong')] },
    {
      label: L.station,
      lines: pair(s.stationName, `${L.stationId.zh} ${L.stationId.en}: ${s.stationId}`),
    },
    {
      label: L.keyFingerprint,
      lines: [...fingerprintLines(s.keyFingerprint), fixed(both(L.fingerprintNote), 'small')],
    },
    {
      label: L.chainHead,
      lines: [fixed(`seq ${s.chainHead.seq} · ${s.chainHead.hash}`, 'code'), fixed(both(L.chainHeadNote), 'small')],
    },
    { label: L.contents, lines: contentsLine(caseJson.items) },
    {
      label: L.software,
      lines: [
        cell(`${software.name} ${software.version}`),
        ...(software.ffmpeg === null ? [] : [cell(`ffmpeg ${software.ffmpeg}`, 'small')]),
      ],
    },
  );
  return fields;
}

export function buildReportModel(caseJson: CaseJson, custody: CustodyEntry[]): ReportModel {
  const c = caseJson.case;
  const number = clip(visibleText(c.number), MAX_CELL_CHARS);
  return {
    caseNumber: number,
    version: c.version,
    reopenedFrom:
      caseJson.seal.previousVersion === null ? null : `${both(L.reopenedFrom)} ${caseJson.seal.previousVersion}`,
    packageName: `${number}-v${c.version}`,
    title: clip(visibleText(c.title), MAX_CELL_CHARS),
    fingerprint: caseJson.seal.keyFingerprint,
    fingerprintGrouped: groupFingerprint(caseJson.seal.keyFingerprint),
    sealedAt: new Date(caseJson.seal.sealedAt),
    producer: visibleText(`${caseJson.software.name} ${caseJson.software.version}`),
    cover: coverFields(caseJson),
    tables: [
      evidenceTable(caseJson.items),
      derivedTable(caseJson.items),
      tagTable(caseJson.items),
      custodyTable(caseJson, custody),
    ],
    verify: verifyInstructions(caseJson.seal.keyFingerprint, `${number}-v${c.version}`),
  };
}
