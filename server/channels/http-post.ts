import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** What a receiver answered: the status, the start of its body, its Retry-After. */
export interface PostAnswer {
  status: number;
  text: string;
  retryAfter: string | null;
}

const header = (headers: IncomingHttpHeaders, name: string): string | null => {
  const value = headers[name];
  return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
};

/**
 * POSTs one body with node:http(s) rather than fetch, for the one thing fetch cannot take: a DNS
 * lookup of our own (outbound-guard.ts's guardedLookup checks the address the socket connects to).
 * Redirects are not followed (the next address would escape the check). Rejects on a network error,
 * and with an Error named TimeoutError when the whole exchange takes longer than `timeoutMs`.
 */
export function postOnce(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; lookup: LookupFunction; maxChars: number },
): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      finish();
    };
    const request = send(target, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: options.lookup }, (response) => {
      response.setEncoding('utf8');
      let text = '';
      response.on('data', (chunk: string) => {
        if (text.length < options.maxChars) text += chunk;
      });
      response.on('end', () => settle(() => resolve({ status: response.statusCode ?? 0, text: text.slice(0, options.maxChars), retryAfter: header(response.headers, 'retry-after') })));
      response.on('error', (error) => settle(() => reject(error)));
      response.on('aborted', () => settle(() => reject(new Error('the receiver closed the connection mid-answer'))));
    });
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`timed out after ${options.timeoutMs} ms`), { name: 'TimeoutError' });
      settle(() => reject(error));
      request.destroy(error);
    }, options.timeoutMs);
    request.on('error', (error) => settle(() => reject(error)));
    request.end(body);
  });
}
