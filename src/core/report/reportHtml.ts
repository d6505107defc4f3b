import { L } from './reportLabels';
import type { CoverField, Line, ReportModel, ReportTable } from './reportModel';
import type { Bilingual } from './reportText';
import type { VerifyStep } from './verifyInstructions';

/**
 * The report as one self-contained HTML file for screen readers and for copying values: the same
 * model as the PDF, as semantic markup (a heading per section, tables with scoped header cells,
 * English marked `lang="en"` inside a Chinese document). No script, no external resource, and a
 * Content-Security-Policy that forbids both, because names in a case are hostile input: every one
 * is escaped here, and the model has already made control and bidi characters visible.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const en = (text: string): string => `<span lang="en">${escapeHtml(text)}</span>`;
const label = (l: Bilingual): string => `${escapeHtml(l.zh)} ${en(l.en)}`;
const labelBlock = (l: Bilingual): string => `${escapeHtml(l.zh)}<br>${en(l.en)}`;

function lines(ls: Line[]): string {
  return ls
    .map((l) => {
      const text = escapeHtml(l.text);
      switch (l.style) {
        case 'strong':
          return `<strong>${text}</strong>`;
        case 'small':
          return `<small>${text}</small>`;
        case 'code':
          return `<code>${text}</code>`;
        case 'fingerprint':
          return `<code class="fingerprint">${text}</code>`;
        default:
          return text;
      }
    })
    .join('<br>');
}

const CSS = `
body{font-family:"Noto Sans SC","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#000;background:#fff;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.45;font-size:15px}
h1{font-size:1.6rem;margin:0 0 .2rem}h1 span{display:block;font-size:1rem;font-weight:normal}
h2{font-size:1.25rem;margin:2.2rem 0 .4rem;border-bottom:2px solid #000}h2 span{font-weight:normal;font-size:.95rem;margin-left:.6rem}
h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.85rem}
th,td{border-bottom:1px solid #777;padding:.3rem .4rem;text-align:left;vertical-align:top}
thead th{background:#e4e4e4;border-bottom:2px solid #000}
caption{text-align:left;font-size:.85rem;padding:.3rem 0}
dl.cover{display:grid;grid-template-columns:14rem 1fr;gap:0;border-top:1px solid #777}
dl.cover dt,dl.cover dd{margin:0;padding:.35rem .4rem;border-bottom:1px solid #777}
dl.cover dt{font-weight:bold}
code{font-family:ui-monospace,"DejaVu Sans Mono",Consolas,monospace;overflow-wrap:anywhere}
small{font-size:.8em}
.note{border:1px solid #000;padding:.6rem .8rem;margin:1rem 0}
pre{background:#f0f0f0;border:1px solid #000;padding:.5rem .7rem;white-space:pre-wrap;overflow-wrap:anywhere}
.fingerprint{font-size:1.15rem;font-weight:bold}
footer{margin-top:2.5rem;border-top:1px solid #000;font-size:.85rem;padding-top:.4rem}
`.trim();

function cover(model: ReportModel): string {
  const field = (f: CoverField): string => `<dt>${labelBlock(f.label)}</dt><dd>${lines(f.lines)}</dd>`;
  return [
    `<header>`,
    `<h1>${escapeHtml(L.documentTitle.zh)} ${`<span lang="en">${escapeHtml(L.documentTitle.en)}</span>`}</h1>`,
    `<p><strong>${escapeHtml(model.caseNumber)}</strong> · ${label(L.version)} ${model.version} · ${escapeHtml(model.title)}</p>`,
    `</header>`,
    `<section aria-labelledby="cover"><h2 id="cover">${escapeHtml('案件与封存')} ${en('Case and seal')}</h2>`,
    `<dl class="cover">${model.cover.map(field).join('')}</dl>`,
    `<p class="note">${escapeHtml(L.documentNote.zh)}<br>${en(L.documentNote.en)}</p>`,
    `</section>`,
  ].join('\n');
}

function table(number: number, t: ReportTable): string {
  const id = `section-${t.id}`;
  const head = `<h2 id="${id}">${number} ${escapeHtml(t.heading.zh)} ${en(t.heading.en)}</h2>`;
  const intro = `<p>${escapeHtml(t.intro.zh)}<br>${en(t.intro.en)}</p>`;
  if (t.rows.length === 0) {
    return `<section aria-labelledby="${id}">${head}${intro}<p>${label(t.empty)}</p></section>`;
  }
  const colCount = t.columns.length;
  const headerCells = t.columns.map((c) => `<th scope="col">${labelBlock(c.label)}</th>`).join('');
  const body = t.rows
    .map((row) => {
      const [first, ...rest] = row.cells;
      const cells = `<th scope="row">${lines(first ?? [])}</th>${rest.map((c) => `<td>${lines(c)}</td>`).join('')}`;
      const notes = row.notes
        .map(
          (n) =>
            `<tr><td></td><td colspan="${colCount - 1}"><strong>${label(n.label)}:</strong> ${
              n.code ? `<code>${escapeHtml(n.text)}</code>` : escapeHtml(n.text)
            }</td></tr>`,
        )
        .join('');
      return `<tr>${cells}</tr>${notes}`;
    })
    .join('\n');
  return [
    `<section aria-labelledby="${id}">${head}${intro}`,
    `<table><caption>${label(t.heading)}: ${t.rows.length}</caption>`,
    `<thead><tr>${headerCells}</tr></thead>`,
    `<tbody>${body}</tbody></table></section>`,
  ].join('\n');
}

function verifyStep(step: VerifyStep): string {
  const commands = step.commands.map((c) => `<pre><code>${escapeHtml(c)}</code></pre>`).join('');
  const compare = step.compare
    ? `<p>${label(step.compare.label)}: <code class="fingerprint">${escapeHtml(step.compare.value)}</code></p>`
    : '';
  return `<h3>${escapeHtml(step.title.zh)}<br>${en(step.title.en)}</h3>${commands}<p>${escapeHtml(step.meaning.zh)}<br>${en(step.meaning.en)}</p>${compare}`;
}

export function renderReportHtml(model: ReportModel): string {
  const v = model.verify;
  const verifyNumber = model.tables.length + 1;
  const title = `${L.documentTitle.zh} ${model.caseNumber} v${model.version}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="zh-CN">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    cover(model),
    '<main>',
    ...model.tables.map((t, i) => table(i + 1, t)),
    `<section aria-labelledby="verify"><h2 id="verify">${verifyNumber} ${escapeHtml(v.heading.zh)} ${en(v.heading.en)}</h2>`,
    `<p>${escapeHtml(v.intro.zh)}<br>${en(v.intro.en)}</p>`,
    ...v.steps.map(verifyStep),
    `<p class="note">${escapeHtml(v.conclusion.zh)}<br>${en(v.conclusion.en)}</p>`,
    '</section>',
    '</main>',
    `<footer><p>${label(L.caseNumber)}: ${escapeHtml(model.caseNumber)} · ${label(L.version)} ${model.version}<br>${label(L.keyFingerprint)}: <code>${escapeHtml(model.fingerprintGrouped)}</code></p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
