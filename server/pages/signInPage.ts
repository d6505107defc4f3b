import type { Lang } from '../http/lang';
import { html } from './html';
import { layout } from './layout';
import { fill, PAGE_TEXT } from './pageText';

export type SignInProblem = { kind: 'invalid' } | { kind: 'throttled'; retryAfterSeconds: number } | null;

export function renderSignInPage(p: { lang: Lang; problem: SignInProblem; name?: string }): string {
  const t = PAGE_TEXT[p.lang];
  const problem =
    p.problem?.kind === 'invalid'
      ? html`<p class="error" role="alert">${t.invalid}</p>`
      : p.problem?.kind === 'throttled'
        ? html`<p class="error" role="alert">${fill(t.throttled, { seconds: p.problem.retryAfterSeconds })}</p>`
        : '';
  const body = html`<h1>${t.signInHeading}</h1>
${problem}
<form method="post" action="/sign-in">
<input type="hidden" name="lang" value="${p.lang}">
<label>${t.name} <input name="name" autocomplete="username" required value="${p.name ?? ''}"></label>
<label>${t.password} <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">${t.signIn}</button>
</form>`;
  return layout(p.lang, body, { href: `/?lang=${p.lang === 'en' ? 'zh-CN' : 'en'}` });
}
