import type { ReceivedCase } from '../../src/shared/syncProtocol';
import { groupFingerprint } from '../../src/core/keys/fingerprint';
import type { Lang } from '../http/lang';
import { html } from './html';
import { layout } from './layout';
import { PAGE_TEXT } from './pageText';

export function renderCasesPage(p: {
  lang: Lang;
  operatorName: string;
  signOutAllowed: boolean;
  cases: readonly ReceivedCase[];
  serverKeyFingerprint: string;
}): string {
  const t = PAGE_TEXT[p.lang];
  const rows = p.cases.map(
    (c) => html`<tr>
<td>${c.caseNumber}</td>
<td class="num">${c.version}</td>
<td>${c.stationName} <code>${c.stationId}</code></td>
<td class="num"><time datetime="${c.receivedAt}">${c.receivedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')}</time></td>
<td class="${c.verification}">${t.verification[c.verification]}</td>
<td class="num">${c.receiptSeq ?? '—'}</td>
</tr>
`,
  );
  const signOut = p.signOutAllowed
    ? html`<form class="inline" method="post" action="/sign-out"><input type="hidden" name="lang" value="${p.lang}"><button type="submit">${t.signOut}</button></form>`
    : '';
  const table =
    p.cases.length === 0
      ? html`<p>${t.noCases}</p>`
      : html`<table>
<thead><tr><th>${t.cols.caseNumber}</th><th>${t.cols.version}</th><th>${t.cols.station}</th><th>${t.cols.receivedAt}</th><th>${t.cols.verification}</th><th>${t.cols.receipt}</th></tr></thead>
<tbody>
${rows}</tbody>
</table>`;
  const body = html`<header>
<h1>${t.heading}</h1>
<p>${t.signedInAs} <strong>${p.operatorName}</strong> ${signOut}</p>
</header>
${table}
<p>${t.serverKey}: <code>${groupFingerprint(p.serverKeyFingerprint)}</code></p>`;
  return layout(p.lang, body, { href: `/?lang=${p.lang === 'en' ? 'zh-CN' : 'en'}` });
}
