import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Hono } from 'hono';
import { fileURLToPath } from 'node:url';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const buildHandler = fileURLToPath(new URL('../build/handler.js', import.meta.url));

/** adapter-node's handler serves the built SvelteKit UI; Hono keeps /api. */
async function loadUiHandler(): Promise<NodeHandler | null> {
  if (!existsSync(buildHandler)) return null;
  // adapter-node assumes https without a protocol header, which breaks same-origin checks over http.
  process.env.PROTOCOL_HEADER ??= 'x-forwarded-proto';
  process.env.HOST_HEADER ??= 'host';
  const mod = (await import(buildHandler)) as { handler: NodeHandler };
  return mod.handler;
}

/**
 * What every page response carries beside SvelteKit's own Content-Security-Policy (svelte.config.js):
 * TV and station URLs hold their token in the query, so no Referer may ever leave with them.
 */
export const pageSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'SAMEORIGIN',
};

export interface HttpServer {
  server: ServerType;
  port: number;
  close: () => Promise<void>;
}

export async function startHttpServer(api: Hono, options: { port: number; host: string; serveUi: boolean }): Promise<HttpServer> {
  const ui = options.serveUi ? await loadUiHandler() : null;
  api.all('*', (c) => {
    if (!ui) return c.text('The UI is not built: run `npm run build`.', 503);
    const incoming = (c.env as { incoming: IncomingMessage }).incoming;
    const outgoing = (c.env as { outgoing: ServerResponse }).outgoing;
    incoming.headers['x-forwarded-proto'] ??= 'http';
    for (const [name, value] of Object.entries(pageSecurityHeaders)) outgoing.setHeader(name, value);
    ui(incoming, outgoing, () => {
      outgoing.statusCode = 404;
      outgoing.end('not found');
    });
    return RESPONSE_ALREADY_SENT;
  });
  // A taken port must fail the start (so everything already started is stopped again), not crash.
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: api.fetch, port: options.port, hostname: options.host }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port,
    // Stop accepting, let requests in flight finish, then cut what is left (idle keep-alives).
    close: () =>
      new Promise<void>((resolve) => {
        const s = server as ServerType & { closeIdleConnections?: () => void; closeAllConnections?: () => void };
        const force = setTimeout(() => s.closeAllConnections?.(), 5000);
        // A keep-alive connection that finishes its last request after close() began is idle only
        // from then on: keep closing idle ones until the server is done.
        const idle = setInterval(() => s.closeIdleConnections?.(), 50);
        server.close(() => {
          clearTimeout(force);
          clearInterval(idle);
          resolve();
        });
        s.closeIdleConnections?.();
      }),
  };
}
