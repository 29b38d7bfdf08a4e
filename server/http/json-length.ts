import type { MiddlewareHandler } from 'hono';

/**
 * Gives JSON answers their Content-Length. Hono's `c.json` sends none, and without it `compress`
 * cannot tell a 60-byte answer from a large one: every floor press was gzipped through a web stream,
 * which cost the busy server more than the press itself. Placed inside `compress`, so it sees the length.
 */
export const jsonLength: MiddlewareHandler = async (c, next) => {
  await next();
  const res = c.res;
  if (!res.body || res.headers.has('content-length') || !/^application\/json/.test(res.headers.get('content-type') ?? '')) return;
  const body = await res.arrayBuffer();
  const headers = new Headers(res.headers);
  headers.set('content-length', String(body.byteLength));
  c.res = new Response(body, { status: res.status, statusText: res.statusText, headers });
};
