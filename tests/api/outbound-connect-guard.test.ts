import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOnce } from '../../server/channels/http-post.ts';
import { guardedLookup, pinnedHost } from '../../server/channels/outbound-guard.ts';

/**
 * DNS rebinding: a name checked when it pointed at the LAN may point at 127.0.0.1 when the socket
 * connects. The check must be on the address connected to. `localhost` stands for such a name here:
 * it is a name (so the socket's lookup runs) that resolves to loopback.
 */
describe('outbound requests are checked on the address they connect to', () => {
  let server: Server;
  let hits = 0;
  let port = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      req.resume();
      req.on('end', () => res.writeHead(429, { 'retry-after': '7' }).end('slow down'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('a name that resolves to loopback at connect time is refused at the socket: nothing reaches it', async () => {
    const refused = postOnce(`http://localhost:${port}/hook`, { 'content-type': 'application/json' }, '{}', { timeoutMs: 5000, lookup: guardedLookup(false), maxChars: 100 });
    await expect(refused).rejects.toThrow(/^localhost resolves to (127\.0\.0\.1|::1), a loopback address/);
    expect(hits).toBe(0);
  });

  it('allowed, the same request goes through and the answer is read: status, body, Retry-After', async () => {
    const answer = await postOnce(`http://localhost:${port}/hook`, { 'content-type': 'application/json' }, '{"a":1}', { timeoutMs: 5000, lookup: guardedLookup(true), maxChars: 100 });
    expect(answer).toEqual({ status: 429, text: 'slow down', retryAfter: '7' });
    expect(hits).toBe(1);
  });

  it('a receiver that never answers times out with a TimeoutError naming the limit', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const slow = postOnce(`http://localhost:${(silent.address() as AddressInfo).port}/`, {}, '', { timeoutMs: 300, lookup: guardedLookup(true), maxChars: 100 });
      await expect(slow).rejects.toMatchObject({ name: 'TimeoutError', message: 'timed out after 300 ms' });
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('e-mail resolves once and connects to the address it checked', async () => {
    expect(await pinnedHost('localhost', false)).toMatchObject({ refused: expect.stringMatching(/^localhost resolves to .*, a loopback address/) });
    expect(await pinnedHost('localhost', true)).toEqual({ refused: null, address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/), name: 'localhost' });
    expect(await pinnedHost('[::1]', false)).toEqual({ refused: expect.stringContaining('::1 resolves to ::1, a loopback address') });
    expect(await pinnedHost('10.1.2.3', false)).toEqual({ refused: null, address: '10.1.2.3', name: null });
  });
});
