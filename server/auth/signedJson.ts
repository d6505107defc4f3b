import type { z } from 'zod';
import type { Station } from '../stations/stationsRepo';
import { parseJson, readBody, requireJsonContentType } from '../http/body';
import type { RequestContext } from '../http/route';
import { verifyRequest, verifySignedHeaders } from './verifyRequest';

/**
 * A signed JSON route's door: check the signature headers (no body needed: the signature covers
 * the body hash they claim), read the body (bounded), verify the request over its exact bytes,
 * and only then parse it with the schema. `serverupload`'s `have` and `commit` routes use it.
 * Checking the headers first means a request nobody signed is refused before the server holds
 * any of its body: the commit route's limit is 64 MiB, which anyone could otherwise make the
 * server buffer, once per connection.
 */
export async function readSignedJson<S extends z.ZodType>(
  ctx: RequestContext,
  schema: S,
  limitBytes: number,
): Promise<{ station: Station; body: z.infer<S> }> {
  requireJsonContentType(ctx.req);
  const parts = { method: ctx.req.method ?? 'GET', pathAndQuery: ctx.pathAndQuery, headers: ctx.req.headers };
  try {
    await verifySignedHeaders(ctx.services.sql, parts);
  } catch (error) {
    // The body is still on its way: close the connection after the refusal rather than read it.
    ctx.res.setHeader('Connection', 'close');
    throw error;
  }
  const raw = await readBody(ctx.req, limitBytes);
  const station = await verifyRequest(ctx.services.sql, { ...parts, bodySha256: raw.sha256 }, ctx.services.clock());
  return { station, body: parseJson(raw.bytes, schema) };
}
