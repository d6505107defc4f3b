import { z } from 'zod';
import { listReceivedCases } from '../cases/receivedCases';
import { readBody } from '../http/body';
import { LANGS, type Lang } from '../http/lang';
import { redirect, sendError, sendHtml, sendJson } from '../http/respond';
import type { RequestContext, Route } from '../http/route';
import { SyncError } from '../http/syncError';
import { renderCasesPage } from '../pages/casesPage';
import { renderSignInPage, type SignInProblem } from '../pages/signInPage';
import { authenticateOperator } from './operatorAuth';
import { clearedSessionCookie, createSession, endSession, readSessionCookie, sessionCookie } from './sessions';
import { signIn } from './signIn';

const FORM_LIMIT_BYTES = 8 * 1024;

const SignInForm = z.object({
  name: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
  lang: z.enum(LANGS).optional(),
});

/** The operators' side: the case list as a page and as JSON, and the sign-in form. */
export function operatorRoutes(): Route[] {
  return [
    {
      methods: ['GET', 'HEAD'],
      path: '/',
      async handle(ctx) {
        const auth = await authenticateOperator(ctx);
        if (auth.kind !== 'operator') {
          const problem: SignInProblem = auth.kind === 'none' ? null : auth;
          const status = auth.kind === 'throttled' ? 429 : auth.kind === 'invalid' ? 401 : 200;
          sendHtml(ctx.res, status, renderSignInPage({ lang: ctx.lang, problem }), retryAfter(auth));
          return;
        }
        const cases = await listReceivedCases(ctx.services.sql);
        sendHtml(
          ctx.res,
          200,
          renderCasesPage({
            lang: ctx.lang,
            operatorName: auth.name,
            signOutAllowed: auth.via === 'session',
            cases,
            serverKeyFingerprint: ctx.services.serverKey.fingerprint,
          }),
        );
      },
    },
    {
      methods: ['GET'],
      path: '/api/cases',
      async handle(ctx) {
        const auth = await authenticateOperator(ctx);
        if (auth.kind === 'throttled') {
          sendError(ctx.res, 429, 'request.throttled', ctx.lang, { headers: retryAfter(auth) });
          return;
        }
        if (auth.kind !== 'operator') {
          // Offer Basic only where it would be accepted.
          const headers: Record<string, string> = ctx.fromLoopback
            ? { 'WWW-Authenticate': 'Basic realm="Evidence Station server", charset="UTF-8"' }
            : {};
          sendError(ctx.res, 401, 'operator.unauthorized', ctx.lang, { headers });
          return;
        }
        sendJson(ctx.res, 200, await listReceivedCases(ctx.services.sql));
      },
    },
    {
      methods: ['POST'],
      path: '/sign-in',
      async handle(ctx) {
        const form = await readForm(ctx, SignInForm);
        const lang: Lang = form.lang ?? ctx.lang;
        const { sql, clock } = ctx.services;
        const result = await signIn(sql, form.name, form.password, clock());
        if (result.kind !== 'ok') {
          ctx.services.log.info('operator sign-in refused', { reason: result.kind });
          const status = result.kind === 'throttled' ? 429 : 401;
          sendHtml(ctx.res, status, renderSignInPage({ lang, problem: result, name: form.name }), retryAfter(result));
          return;
        }
        const token = await createSession(sql, result.operator.id, clock());
        ctx.services.log.info('operator signed in', { operator: result.operator.name });
        redirect(ctx.res, `/?lang=${lang}`, { 'Set-Cookie': sessionCookie(token) });
      },
    },
    {
      methods: ['POST'],
      path: '/sign-out',
      async handle(ctx) {
        const form = await readForm(ctx, z.object({ lang: z.enum(LANGS).optional() }));
        const token = readSessionCookie(ctx.req.headers.cookie);
        if (token) await endSession(ctx.services.sql, token);
        redirect(ctx.res, `/?lang=${form.lang ?? ctx.lang}`, { 'Set-Cookie': clearedSessionCookie() });
      },
    },
  ];
}

function retryAfter(auth: { kind: string; retryAfterSeconds?: number }): Record<string, string> {
  return auth.kind === 'throttled' && auth.retryAfterSeconds !== undefined
    ? { 'Retry-After': String(auth.retryAfterSeconds) }
    : {};
}

/**
 * A form posted by our own page. A browser sends `Origin` with every POST: one naming another site
 * is refused, so no other page can sign someone in or out here (SameSite=Strict guards the cookie
 * itself).
 */
async function readForm<S extends z.ZodType>(ctx: RequestContext, schema: S): Promise<z.infer<S>> {
  const origin = ctx.req.headers.origin;
  if (origin !== undefined) {
    let sameHost = false;
    try {
      sameHost = new URL(origin).host === ctx.req.headers.host;
    } catch {
      sameHost = false;
    }
    if (!sameHost) throw new SyncError('request.invalid', `form posted from ${origin}`, { status: 403 });
  }
  const type = (ctx.req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new SyncError('request.invalid', `form content-type ${type || '(none)'}`, { status: 415 });
  }
  const body = await readBody(ctx.req, FORM_LIMIT_BYTES);
  const params = new URLSearchParams(body.bytes.toString('utf8'));
  const parsed = schema.safeParse(Object.fromEntries(params));
  if (!parsed.success) throw new SyncError('request.invalid', 'form fields');
  return parsed.data as z.infer<S>;
}
