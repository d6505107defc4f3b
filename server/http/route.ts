import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerServices } from '../services';
import type { Lang } from './lang';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  /** Parsed against a fixed base: only `pathname` and `searchParams` are meaningful. */
  url: URL;
  /** The path and query exactly as sent: what a station signed. */
  pathAndQuery: string;
  lang: Lang;
  /** The peer is this machine (127.0.0.0/8 or ::1): HTTP Basic and `/admin/*` are allowed. */
  fromLoopback: boolean;
  services: ServerServices;
}

/**
 * One route: an exact path, or every path under `prefix` (the tus handler takes all of
 * `/api/v1/uploads/`). `methods` lists what it answers; another method gets 405.
 */
export interface Route {
  methods: readonly string[] | '*';
  path?: string;
  prefix?: string;
  handle(ctx: RequestContext): Promise<void>;
}

export function matches(route: Route, pathname: string): boolean {
  if (route.path !== undefined) return pathname === route.path;
  return route.prefix !== undefined && (pathname === route.prefix.replace(/\/$/, '') || pathname.startsWith(route.prefix));
}
