import type { z } from 'zod';
import type { Station } from '../stations/stationsRepo';
import { parseJson, readBody, requireJsonContentType } from '../http/body';
import type { RequestContext } from '../http/route';
import { verifyRequest } from './verifyRequest';

/**
 * A signed JSON route's door: read the body (bounded), verify the request over its exact bytes,
 * and only then parse it with the schema. `serverupload`'s `have` and `commit` routes use it.
 */
export async function readSignedJson<S extends z.ZodType>(
  ctx: RequestContext,
  schema: S,
  limitBytes: number,
): Promise<{ station: Station; body: z.infer<S> }> {
  requireJsonContentType(ctx.req);
  const raw = await readBody(ctx.req, limitBytes);
  const station = await verifyRequest(
    ctx.services.sql,
    {
      method: ctx.req.method ?? 'GET',
      pathAndQuery: ctx.pathAndQuery,
      headers: ctx.req.headers,
      bodySha256: raw.sha256,
    },
    ctx.services.clock(),
  );
  return { station, body: parseJson(raw.bytes, schema) };
}
