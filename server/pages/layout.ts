import type { Lang } from '../http/lang';
import { Html, html } from './html';
import { PAGE_TEXT } from './pageText';

const STYLE = `
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;color:#1b1f24;background:#fff}
header{display:flex;gap:1rem;align-items:baseline;justify-content:space-between;flex-wrap:wrap}
table{border-collapse:collapse;width:100%;margin-top:1rem}
th,td{border-bottom:1px solid #d0d7de;padding:.4rem .6rem;text-align:left}
th{background:#f6f8fa}
td.num{font-variant-numeric:tabular-nums}
.verified{color:#1a7f37;font-weight:600}.refused{color:#cf222e;font-weight:600}
.error{color:#cf222e}
form.inline{display:inline}
label{display:block;margin:.6rem 0}
code{font-size:.85em;word-break:break-all}
`;

export function layout(lang: Lang, body: Html, other: { href: string }): string {
  const t = PAGE_TEXT[lang];
  const otherLang: Lang = lang === 'en' ? 'zh-CN' : 'en';
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${t.title}</title>
        <style>
          ${new Html(STYLE)}
        </style>
      </head>
      <body>
        <p><a href="${other.href}" hreflang="${otherLang}" lang="${otherLang}">${t.otherLanguage}</a></p>
        ${body}
      </body>
    </html> `.text;
}
