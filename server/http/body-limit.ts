import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../contract/errors.ts';

/**
 * Caps request bodies at `maxBytes` with a 413 `payload_too_large`.
 *
 * Why not hono's `bodyLimit`: it opens the body stream before refusing, and a half-read stream
 * cannot be discarded by the Node adapter, which then resets the connection while the client is
 * still sending; the client sees "socket closed" instead of the 413. So a declared Content-Length
 * is refused without touching the body (the adapter drains it), and a chunked body that runs over
 * is read to its end (up to `drainBytes`) before answering.
 */
export function limitBody(options: { maxBytes: number; drainBytes?: number; /** The 413's message (default: body exceeds N bytes). */ message?: string }): MiddlewareHandler {
  const drainBytes = options.drainBytes ?? 64 * 1024 * 1024;
  const message = options.message ?? `body exceeds ${options.maxBytes} bytes`;
  const tooLarge = () => new ApiError(413, 'payload_too_large', message);
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number(declared) > options.maxBytes) throw tooLarge();
      return next();
    }
    const body = c.req.raw.body;
    if (!body) return next();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > drainBytes) break;
      if (size <= options.maxBytes) chunks.push(chunk);
    }
    if (size > options.maxBytes) throw tooLarge();
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    await next();
  };
}
