import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Real HTTP receivers on localhost for the channel tests, each checking its platform's signature
 * exactly as the platform documents it (coded here independently of server/channels) and refusing a
 * message whose signature does not verify, as the platform would.
 */

export interface Received {
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
  /** The signature verified (or the platform has none). */
  verified: boolean;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Answers the next requests with these (status, headers, body), then with the platform's success. */
  failNext: (answers: { status: number; headers?: Record<string, string>; body?: string }[]) => void;
  close: () => Promise<void>;
}

type Verify = (url: URL, headers: IncomingMessage['headers'], body: string) => boolean;
type Answer = { status: number; headers?: Record<string, string>; body?: string };

async function startReceiver(verify: Verify, ok: (url: URL, headers: IncomingMessage['headers'], body: string) => Answer, refused: Answer): Promise<Receiver> {
  const received: Received[] = [];
  let scripted: Answer[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const verified = verify(url, req.headers, body);
      received.push({ url, headers: req.headers, body, verified });
      const answer = scripted.shift() ?? (verified ? ok(url, req.headers, body) : refused);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    failNext: (answers) => (scripted = [...answers]),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const hmacBase64 = (key: string | Buffer, message: string) => createHmac('sha256', key).update(message).digest('base64');
const within = (seconds: number, toleranceSeconds: number) => Math.abs(Date.now() / 1000 - seconds) <= toleranceSeconds;

/** WeCom group robot: no signature (the key is in the URL); markdown content at most 4096 bytes. */
export function wecomReceiver(): Promise<Receiver> {
  return startReceiver(
    (url, _h, body) => {
      if (!url.searchParams.get('key')) return false;
      const parsed = JSON.parse(body) as { msgtype?: string; markdown?: { content?: string } };
      return parsed.msgtype === 'markdown' && typeof parsed.markdown?.content === 'string' && Buffer.byteLength(parsed.markdown.content) <= 4096;
    },
    () => ({ status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) }),
    { status: 200, body: JSON.stringify({ errcode: 40058, errmsg: 'invalid markdown' }) },
  );
}

/**
 * DingTalk custom robot: query `timestamp` (ms, within an hour) and `sign` =
 * urlEncode(base64(HmacSHA256(secret, timestamp + "\n" + secret))).
 */
export function dingTalkReceiver(secret: string): Promise<Receiver> {
  return startReceiver(
    (url, _h, body) => {
      const timestamp = url.searchParams.get('timestamp');
      const rawSign = /[?&]sign=([^&]*)/.exec(url.search)?.[1];
      if (!timestamp || !rawSign || !within(Number(timestamp) / 1000, 3600)) return false;
      const expected = encodeURIComponent(hmacBase64(secret, `${timestamp}\n${secret}`));
      const parsed = JSON.parse(body) as { msgtype?: string };
      return rawSign === expected && parsed.msgtype === 'markdown';
    },
    () => ({ status: 200, body: JSON.stringify({ errcode: 0, errmsg: 'ok' }) }),
    { status: 200, body: JSON.stringify({ errcode: 310000, errmsg: 'sign not match' }) },
  );
}

/** Feishu custom bot: body `timestamp` (s, within an hour) and `sign` = base64(HmacSHA256(key = timestamp + "\n" + secret, message = "")). */
export function feishuReceiver(secret: string): Promise<Receiver> {
  return startReceiver(
    (_u, _h, body) => {
      const parsed = JSON.parse(body) as { timestamp?: string; sign?: string; msg_type?: string };
      if (!parsed.timestamp || !parsed.sign || !within(Number(parsed.timestamp), 3600)) return false;
      return parsed.sign === hmacBase64(`${parsed.timestamp}\n${secret}`, '') && parsed.msg_type === 'text';
    },
    () => ({ status: 200, body: JSON.stringify({ code: 0, msg: 'success', data: {} }) }),
    { status: 200, body: JSON.stringify({ code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' }) },
  );
}

/**
 * Standard Webhooks: headers webhook-id, webhook-timestamp (s, within 5 minutes), webhook-signature
 * (space-separated "v1,<base64>"), the HMAC-SHA256 of "id.timestamp.body" keyed by the base64-decoded
 * part of whsec_...; refused with 401.
 */
export function standardWebhookReceiver(secret: string): Promise<Receiver> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return startReceiver(
    (_u, headers, body) => {
      const id = headers['webhook-id'];
      const timestamp = headers['webhook-timestamp'];
      const signatures = headers['webhook-signature'];
      if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
      if (!within(Number(timestamp), 300)) return false;
      const expected = Buffer.from(hmacBase64(key, `${id}.${timestamp}.${body}`));
      return signatures.split(' ').some((s) => {
        const [version, sig] = s.split(',');
        const given = Buffer.from(sig ?? '');
        return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
      });
    },
    () => ({ status: 204 }),
    { status: 401, body: '{"error":"bad signature"}' },
  );
}
