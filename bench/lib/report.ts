import { formatRatio, formatSeconds } from './format';
import type { FigureId } from './args';

/** PASS/MISS against a target; INFO where the issue asks only for a figure; SKIP when it could not run. */
export type Verdict = 'PASS' | 'MISS' | 'INFO' | 'SKIP';

export interface Row {
  measure: string;
  target: string;
  measured: string;
  /** Measured divided by the target (below 1 is inside it), or the figure's own ratio. */
  ratio: string;
  verdict: Verdict;
}

export interface SubTable {
  title: string;
  headers: string[];
  rows: string[][];
}

export interface FigureReport {
  id: FigureId;
  title: string;
  rows: Row[];
  /** Further detail (per-run times, phases, per-query SQL time). */
  tables: SubTable[];
  /** Conditions a reader needs to weigh the numbers: page cache, what was left out, how measured. */
  notes: string[];
  /** Raw numbers, written to .bench/results.json. */
  data: Record<string, unknown>;
}

export function verdictOf(measured: number, target: number, kind: 'atMost' | 'below'): Verdict {
  if (!Number.isFinite(measured)) return 'MISS';
  return (kind === 'atMost' ? measured <= target : measured < target) ? 'PASS' : 'MISS';
}

export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function renderFigure(report: FigureReport): string {
  const main = renderTable(
    ['Measure', 'Target', 'Measured', 'Ratio', 'Result'],
    report.rows.map((r) => [r.measure, r.target, r.measured, r.ratio, r.verdict]),
  );
  const parts = [`## ${report.title}`, '', main];
  for (const t of report.tables) parts.push('', `${t.title}:`, renderTable(t.headers, t.rows));
  if (report.notes.length) parts.push('', ...report.notes.map((n) => `- ${n}`));
  return parts.join('\n');
}

export function skippedFigure(id: FigureId, title: string, why: string): FigureReport {
  return {
    id,
    title,
    rows: [{ measure: 'not run', target: '—', measured: '—', ratio: '—', verdict: 'SKIP' }],
    tables: [],
    notes: [why],
    data: { skipped: why },
  };
}

/** The per-run table of a figure that alternates a baseline with the import it is compared to. */
export function runsTable(baselineMs: number[], importMs: number[], label = 'Import'): SubTable {
  return {
    title: 'Runs (alternating, baseline first)',
    headers: ['Run', 'Baseline', label, `${label} / baseline`],
    rows: baselineMs.map((b, i) => [
      String(i + 1),
      formatSeconds(b),
      formatSeconds(importMs[i]!),
      formatRatio(importMs[i]! / b),
    ]),
  };
}
