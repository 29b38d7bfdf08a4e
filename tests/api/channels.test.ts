import { randomUUID } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryView } from '../../server/contract/channels.ts';
import { dingTalkReceiver, feishuReceiver, standardWebhookReceiver, wecomReceiver, type Receiver } from '../support/channel-receivers.ts';
import { expectError } from '../support/errors.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { startTestSystem, type TestSystem, useTestSystem } from '../support/system.ts';

// The whole system with its worker: notices are routed by the notification trigger and delivered by jobs.
const t = useTestSystem({ seed: seedSmallFactory, config: { outboundAllowLoopback: true, publicUrl: 'https://takt.example.cn' } });

const WHSEC = `whsec_${Buffer.from('a-test-secret-of-32-bytes-length').toString('base64')}`;
const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});
async function receiver<R extends Receiver>(started: Promise<R>): Promise<R> {
  const r = await started;
  receivers.push(r);
  return r;
}

async function put(path: string, body: unknown) {
  const r = await t.api('PUT', `/api/v1${path}`, body);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as Record<string, unknown>;
}

async function raise(workCenter = 'WELD', reason = 'other'): Promise<string> {
  const r = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter, reason });
  expect(r.status).toBe(201);
  return r.body.id;
}

async function deliveries(query: string): Promise<DeliveryView[]> {
  const r = await t.api('GET', `/api/v1/deliveries?${query}`);
  expect(r.status).toBe(200);
  return r.body;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Off after each test, so one test's subscription does not send the next test's notices. */
const switchOff = (code: string, body: Record<string, unknown>) => put(`/channels/${code}`, { ...body, enabled: false });

describe('channels API', () => {
  it('secrets are write-only: GET says hasSecret, a PUT without secret keeps it, null clears it', async () => {
    const body = { kind: 'dingtalk', url: 'http://10.20.30.40/robot/send?access_token=abc', secret: 'SEC-ding-1', language: 'en' };
    const stored = await put('/channels/DING-A', body);
    expect(stored).toEqual({
      code: 'DING-A', kind: 'dingtalk', url: body.url, hasSecret: true, smtp: null, to: [], language: 'en', enabled: true, disabledReason: null, disabledCause: null, failingSince: null, updatedAt: expect.any(String),
    });
    const got = await t.api('GET', '/api/v1/channels/DING-A');
    expect(JSON.stringify(got.body)).not.toContain('SEC-ding-1');
    expect(JSON.stringify((await t.api('GET', '/api/v1/channels')).body)).not.toContain('SEC-ding-1');
    expect((await put('/channels/DING-A', { kind: 'dingtalk', url: body.url })).hasSecret).toBe(true);
    const [row] = await t.sql<{ secret: string }[]>`select secret from channel where code = 'DING-A'`;
    expect(row!.secret).toBe('SEC-ding-1');
    expect((await put('/channels/DING-A', { kind: 'dingtalk', url: body.url, secret: null, enabled: false })).hasSecret).toBe(false);
  });

  it('a webhook without a secret gets a whsec_ one, shown once; a secret not in that form is 400 secret', async () => {
    const first = await put('/channels/HOOK-GEN', { kind: 'webhook', url: 'http://192.168.1.20/erp/takt', enabled: false });
    expect(first.generatedSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(first.hasSecret).toBe(true);
    const again = await put('/channels/HOOK-GEN', { kind: 'webhook', url: 'http://192.168.1.20/erp/takt', enabled: false });
    expect(again).not.toHaveProperty('generatedSecret');
    expect((await t.api('GET', '/api/v1/channels/HOOK-GEN')).body).not.toHaveProperty('generatedSecret');
    expectError(await t.api('PUT', '/api/v1/channels/HOOK-BAD', { kind: 'webhook', url: 'http://192.168.1.20/x', secret: 'plain-secret' }), 400, 'validation_failed', 'secret');
    expectError(await t.api('GET', '/api/v1/channels/HOOK-BAD'), 404, 'not_found');
  });

  it('400 naming the field for what a kind needs, 404 for unknown channels and subscriptions', async () => {
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'wecom' }), 400, 'validation_failed', 'url');
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'wecom', url: 'ftp://10.0.0.1/x' }), 400, 'validation_failed', 'url');
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'wecom', url: 'http://10.0.0.1/x', secret: 's' }), 400, 'validation_failed', 'secret');
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'email', to: ['a@b.cn'] }), 400, 'validation_failed', 'smtp');
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'email', smtp: { host: '10.0.0.2', from: 'takt@plant.cn' } }), 400, 'validation_failed', 'to');
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'email', smtp: { host: '10.0.0.2', from: 'not-an-address' }, to: ['a@b.cn'] }), 400, 'validation_failed', 'smtp.from');
    expectError(await t.api('PUT', '/api/v1/channels/X1', { kind: 'pager', url: 'http://10.0.0.1/x' }), 400, 'validation_failed', 'kind');
    expectError(await t.api('PUT', '/api/v1/subscriptions/S1', { channel: 'NOPE', kinds: ['andon.raised'] }), 404, 'not_found', 'channel');
    expectError(await t.api('PUT', '/api/v1/subscriptions/S1', { channel: 'DING-A', kinds: ['andon.exploded'] }), 400, 'validation_failed', 'kinds.0');
    expectError(await t.api('PUT', '/api/v1/subscriptions/S1', { channel: 'DING-A', kinds: [] }), 400, 'validation_failed', 'kinds');
    expectError(await t.api('PUT', '/api/v1/subscriptions/S1', { channel: 'DING-A', kinds: ['order.late'], filter: { minMinutesLate: -1 } }), 400, 'validation_failed', 'filter.minMinutesLate');
    expectError(await t.api('GET', '/api/v1/subscriptions/S1'), 404, 'not_found');
    expectError(await t.api('GET', '/api/v1/channels/NOPE'), 404, 'not_found');
    expectError(await t.api('POST', '/api/v1/channels/NOPE/test', {}), 404, 'not_found');
    expectError(await t.api('POST', `/api/v1/deliveries/msg_${'0'.repeat(32)}/replay`, {}), 404, 'not_found');
    expectError(await t.api('POST', '/api/v1/deliveries/nonsense/replay', {}), 404, 'not_found');
    expectError(await t.api('GET', '/api/v1/deliveries?state=lost'), 400, 'validation_failed', 'state');
    expect((await t.sql<{ n: number }[]>`select count(*)::int as n from channel where code = 'X1'`)[0]!.n).toBe(0);
  });
});

describe('each platform, signed as documented, verified by a real receiver', () => {
  it('Standard Webhooks: an andon reaches the ERP with webhook-id, timestamp and v1 signature; the log says delivered', async () => {
    const erp = await receiver(standardWebhookReceiver(WHSEC));
    const channel = { kind: 'webhook', url: `${erp.url}/takt`, secret: WHSEC, language: 'en' };
    await put('/channels/ERP', channel);
    await put('/subscriptions/ERP-ANDON', { channel: 'ERP', kinds: ['andon.raised'], filter: { workCenters: ['WELD'] } });
    await raise('CUT');
    const andonId = await raise('WELD', 'breakdown');
    const [delivered] = await until('a delivered webhook', async () => {
      const d = await deliveries('channel=ERP&state=delivered');
      return d.length ? d : null;
    });
    expect(erp.received).toHaveLength(1);
    const got = erp.received[0]!;
    expect(got.verified).toBe(true);
    expect(got.headers['webhook-id']).toBe(delivered!.id);
    const event = JSON.parse(got.body) as { type: string; timestamp: string; data: { title: string; text: string; link: string; facts: Record<string, unknown> } };
    expect(event.type).toBe('andon.raised');
    expect(event.data.title).toBe('Andon: WELD breakdown');
    expect(event.data.link).toBe('https://takt.example.cn/console/andon');
    expect(event.data.facts).toMatchObject({ kind: 'andon.raised', department: 'floor', workCenter: 'WELD', lines: ['L1'], reason: 'breakdown', minutesLate: 0, level: 1 });
    expect(delivered).toMatchObject({ channel: 'ERP', kind: 'andon.raised', state: 'delivered', attempts: 1, lastStatus: 204, lastError: null, summary: 'Andon: WELD breakdown · notify lead' });
    expect(delivered!.attemptLog).toEqual([{ at: expect.any(String), ok: true, status: 204, latencyMs: expect.any(Number), error: null }]);
    const [row] = await t.sql<{ andon_id: string }[]>`select n.andon_id from delivery d join notification n on n.id = d.notification_id where d.id = ${delivered!.id}`;
    expect(row!.andon_id).toBe(andonId);
    await switchOff('ERP', channel);
  });

  it('a receiver that fails twice (503, Retry-After: 1) then succeeds sees three attempts with one webhook-id; one delivery, delivered', async () => {
    const erp = await receiver(standardWebhookReceiver(WHSEC));
    const channel = { kind: 'webhook', url: erp.url, secret: WHSEC };
    await put('/channels/ERP-FLAKY', channel);
    await put('/subscriptions/ERP-FLAKY', { channel: 'ERP-FLAKY', kinds: ['andon.raised'] });
    erp.failNext([{ status: 503, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': '1' } }]);
    await raise();
    const [delivered] = await until('the third attempt', async () => {
      const d = await deliveries('channel=ERP-FLAKY&state=delivered');
      return d.length ? d : null;
    });
    expect(erp.received).toHaveLength(3);
    expect(new Set(erp.received.map((r) => r.headers['webhook-id']))).toEqual(new Set([delivered!.id]));
    expect(erp.received.every((r) => r.verified)).toBe(true);
    expect(await deliveries('channel=ERP-FLAKY')).toHaveLength(1);
    expect(delivered!.attempts).toBe(3);
    expect(delivered!.attemptLog.map((a) => [a.ok, a.status])).toEqual([[false, 503], [false, 503], [true, 204]]);
    // Retry-After: 1 was honoured, not the schedule's 5 s and 5 min.
    const gaps = delivered!.attemptLog.slice(1).map((a, i) => Date.parse(a.at) - Date.parse(delivered!.attemptLog[i]!.at));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
    for (const gap of gaps) expect(gap).toBeLessThan(4000);
    await switchOff('ERP-FLAKY', channel);
  });

  it('DingTalk: timestamp and sign in the query; a wrong secret is refused by the robot and the attempt fails', async () => {
    const ding = await receiver(dingTalkReceiver('SECdingtalk'));
    const good = { kind: 'dingtalk', url: `${ding.url}/robot/send?access_token=tok`, secret: 'SECdingtalk' };
    await put('/channels/DING', good);
    const ok = await t.api('POST', '/api/v1/channels/DING/test', {});
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, status: 200, error: null });
    expect(ding.received[0]!.verified).toBe(true);
    expect(ding.received[0]!.url.searchParams.get('access_token')).toBe('tok');
    expect(JSON.parse(ding.received[0]!.body)).toEqual({ msgtype: 'markdown', markdown: { title: 'Takt 测试消息', text: '**Takt 测试消息**\n通道 DING 已接通。 [查看](https://takt.example.cn/console/channels)' } });

    await put('/channels/DING', { ...good, secret: 'SECwrong' });
    const refused = await t.api('POST', '/api/v1/channels/DING/test', {});
    expect(refused.body).toMatchObject({ ok: false, status: 200, error: '310000: sign not match' });
    expect(ding.received[1]!.verified).toBe(false);
    const log = await deliveries('channel=DING');
    expect(log.map((d) => [d.kind, d.state, d.lastError])).toEqual([['test', 'failed', '310000: sign not match'], ['test', 'delivered', null]]);

    await put('/channels/DING', good);
    await put('/subscriptions/DING-LATE', { channel: 'DING', kinds: ['operation.late_start', 'andon.escalated'] });
    await put('/subscriptions/DING-ANDON', { channel: 'DING', kinds: ['andon.raised'], filter: { lines: ['L1'], departments: ['floor'] } });
    await raise('CUT', 'material');
    await until('the andon on DingTalk', async () => (await deliveries('channel=DING&state=delivered')).find((d) => d.kind === 'andon.raised'));
    const message = JSON.parse(ding.received.at(-1)!.body) as { markdown: { title: string; text: string } };
    expect(message.markdown.title).toBe('安灯：CUT 缺料');
    expect(message.markdown.text).toBe('**安灯：CUT 缺料**\n通知 lead [查看](https://takt.example.cn/console/andon)');
    expect(ding.received.at(-1)!.verified).toBe(true);
    await switchOff('DING', good);
  });

  it('Feishu: timestamp and sign in the body; a wrong secret is refused', async () => {
    const lark = await receiver(feishuReceiver('feishu-secret'));
    const good = { kind: 'feishu', url: `${lark.url}/open-apis/bot/v2/hook/abc`, secret: 'feishu-secret', language: 'en' };
    await put('/channels/LARK', good);
    await put('/subscriptions/LARK-QC', { channel: 'LARK', kinds: ['andon.raised'], filter: { departments: ['qc'] } });
    await raise('WELD', 'breakdown');
    await raise('WELD', 'quality');
    const [d] = await until('the quality alert on Feishu', async () => {
      const got = await deliveries('channel=LARK&state=delivered');
      return got.length ? got : null;
    });
    expect(d!.summary).toBe('Andon: WELD quality · notify lead');
    expect(lark.received).toHaveLength(1);
    expect(lark.received[0]!.verified).toBe(true);
    const body = JSON.parse(lark.received[0]!.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['content', 'msg_type', 'sign', 'timestamp']);
    expect(body.content).toEqual({ text: 'Andon: WELD quality\nnotify lead\nhttps://takt.example.cn/console/andon' });

    await put('/channels/LARK', { ...good, secret: 'another' });
    const refused = await t.api('POST', '/api/v1/channels/LARK/test', {});
    expect(refused.body).toMatchObject({ ok: false, status: 200, error: '19021: sign match fail or timestamp is not within one hour from current time' });
    await switchOff('LARK', good);
  });

  it('e-mail over SMTP with STARTTLS to an in-process server: from and to of the channel, the notice as subject', async () => {
    const mails: { from: string; to: string[]; secure: boolean; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
        stream.on('end', () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), secure: session.secure, data });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const channel = { kind: 'email', smtp: { host: '127.0.0.1', port, allowSelfSigned: true, from: 'takt@plant.example.cn' }, to: ['qc@plant.example.cn', 'lead@plant.example.cn'], language: 'en' };
      const stored = await put('/channels/MAIL', channel);
      expect(stored.smtp).toEqual({ host: '127.0.0.1', port, secure: false, requireTls: true, allowSelfSigned: true, user: null, from: 'takt@plant.example.cn' });
      await put('/subscriptions/MAIL-ANDON', { channel: 'MAIL', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] } });
      await raise('CUT', 'safety');
      const [d] = await until('the mail', async () => {
        const got = await deliveries('channel=MAIL&state=delivered');
        return got.length ? got : null;
      });
      expect(d!.lastStatus).toBe(250);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ from: 'takt@plant.example.cn', to: ['qc@plant.example.cn', 'lead@plant.example.cn'], secure: true });
      expect(mails[0]!.data).toContain('Subject: Andon: CUT safety');
      expect(mails[0]!.data).toContain(`Message-ID: <${d!.id}@takt>`);
      expect(mails[0]!.data).toContain('https://takt.example.cn/console/andon');

      // A subscription may send from and to its own addresses; the channel's stay for the others.
      await put('/subscriptions/MAIL-ANDON', { channel: 'MAIL', kinds: ['andon.raised'], filter: { workCenters: ['CUT'] }, from: 'safety@plant.example.cn', to: ['ehs@plant.example.cn'] });
      expect((await t.api('GET', '/api/v1/subscriptions/MAIL-ANDON')).body).toMatchObject({ from: 'safety@plant.example.cn', to: ['ehs@plant.example.cn'] });
      await raise('CUT', 'safety');
      await until('the second mail', async () => mails.length === 2);
      expect(mails[1]).toMatchObject({ from: 'safety@plant.example.cn', to: ['ehs@plant.example.cn'], secure: true });
      expectError(await t.api('PUT', '/api/v1/subscriptions/NOT-MAIL', { channel: 'DING-A', kinds: ['andon.raised'], to: ['a@b.cn'] }), 400, 'validation_failed', 'to');
      await switchOff('MAIL', channel);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

describe('delivery is honest', () => {
  it('410 Gone disables the channel, stops what is pending and tells admins in the feed; replay then answers 409', async () => {
    const erp = await receiver(standardWebhookReceiver(WHSEC));
    await put('/channels/ERP-GONE', { kind: 'webhook', url: erp.url, secret: WHSEC });
    await put('/subscriptions/ERP-GONE', { channel: 'ERP-GONE', kinds: ['andon.raised'] });
    erp.failNext([{ status: 410 }]);
    await raise();
    const channel = await until('the channel disabled', async () => {
      const c = await t.api('GET', '/api/v1/channels/ERP-GONE');
      return c.body.enabled ? null : c.body;
    });
    expect(channel.disabledReason).toBe('the endpoint answered 410 Gone');
    expect(channel.disabledCause).toBe('gone');
    const [d] = await deliveries('channel=ERP-GONE');
    expect(d).toMatchObject({ state: 'disabled', attempts: 1, lastStatus: 410 });
    const feed = (await t.api('GET', '/api/v1/notifications?audience=admin')).body;
    expect(feed.find((n) => n.kind === 'channel.disabled')).toMatchObject({ kind: 'channel.disabled', audience: 'admin', channel: 'ERP-GONE', cause: 'gone', lastError: 'HTTP 410' });
    expectError(await t.api('POST', `/api/v1/deliveries/${d!.id}/replay`, {}), 409, 'invalid_state', 'id');
    // Nothing is routed to a disabled channel.
    await raise();
    await new Promise((r) => setTimeout(r, 500));
    expect(await deliveries('channel=ERP-GONE')).toHaveLength(1);
  });

  it('replay sends a delivered message again with the same webhook-id', async () => {
    const erp = await receiver(standardWebhookReceiver(WHSEC));
    const channel = { kind: 'webhook', url: erp.url, secret: WHSEC };
    await put('/channels/ERP-REPLAY', channel);
    await put('/subscriptions/ERP-REPLAY', { channel: 'ERP-REPLAY', kinds: ['andon.raised'] });
    await raise();
    const [d] = await until('delivered', async () => {
      const got = await deliveries('channel=ERP-REPLAY&state=delivered');
      return got.length ? got : null;
    });
    const replay = await t.api('POST', `/api/v1/deliveries/${d!.id}/replay`, {});
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: d!.id, state: 'pending', attempts: 1 });
    await until('the second attempt', async () => erp.received.length === 2);
    expect(erp.received.map((r) => r.headers['webhook-id'])).toEqual([d!.id, d!.id]);
    const again = await until('delivered again', async () => (await deliveries('channel=ERP-REPLAY&state=delivered')).find((x) => x.attempts === 2));
    expect(again.attemptLog.map((a) => a.ok)).toEqual([true, true]);
    await switchOff('ERP-REPLAY', channel);
  });

  it('an order made from a quote is told to sales (quote.confirmed) and reaches their channel', async () => {
    const wecom = await receiver(wecomReceiver());
    const channel = { kind: 'wecom', url: `${wecom.url}/cgi-bin/webhook/send?key=k1`, language: 'en' };
    await put('/channels/SALES-WECOM', channel);
    await put('/subscriptions/SALES', { channel: 'SALES-WECOM', kinds: ['quote.confirmed'], filter: { customers: ['ACME'] } });
    const quote = await t.api('POST', '/api/v1/quotes', { product: 'P1', quantity: 5, customer: 'ACME' });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    const q = quote.body as { id: string; promiseAt: string };
    expect((await t.api('POST', '/api/v1/orders', { code: 'Q-ORDER', product: 'P1', quantity: 5, quote: q.id })).status).toBe(201);
    const feed = (await t.api('GET', '/api/v1/notifications?audience=sales')).body;
    expect(feed.find((n) => n.kind === 'quote.confirmed')).toMatchObject({ kind: 'quote.confirmed', audience: 'sales', order: 'Q-ORDER', quote: q.id, customer: 'ACME', product: 'P1', quantity: 5, orderDueAt: new Date(q.promiseAt).toISOString() });
    const [d] = await until('the quote on WeCom', async () => {
      const got = await deliveries('channel=SALES-WECOM&state=delivered');
      return got.length ? got : null;
    });
    expect(d!.kind).toBe('quote.confirmed');
    const content = (JSON.parse(wecom.received[0]!.body) as { markdown: { content: string } }).markdown.content;
    expect(content).toContain('**Quote ordered: order Q-ORDER**');
    expect(content).toContain('customer ACME, quantity 5, promised ');
    expect(content).toContain('(https://takt.example.cn/console/orders/Q-ORDER)');
    await switchOff('SALES-WECOM', channel);
  });
});

describe('outbound requests never reach loopback or link-local unless allowed', () => {
  let strict: TestSystem;
  beforeAll(async () => {
    strict = await startTestSystem();
  });
  afterAll(async () => {
    await strict?.stop();
  });

  it('PUT refuses loopback, link-local and unspecified addresses (400 url); private LAN addresses are fine', async () => {
    for (const url of ['http://127.0.0.1:9000/hook', 'http://localhost/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/x', 'http://0.0.0.0/x', 'http://[::ffff:127.0.0.1]/x']) {
      const r = await strict.api('PUT', '/api/v1/channels/SSRF', { kind: 'webhook', url });
      expectError(r, 400, 'validation_failed', 'url');
    }
    expectError(await strict.api('PUT', '/api/v1/channels/SSRF', { kind: 'email', smtp: { host: '127.0.0.2', from: 'a@b.cn' }, to: ['c@d.cn'] }), 400, 'validation_failed', 'smtp.host');
    expectError(await strict.api('GET', '/api/v1/channels/SSRF'), 404, 'not_found');
    for (const url of ['http://10.1.2.3/erp', 'http://192.168.0.10:8080/hook', 'http://172.16.5.5/x']) {
      expect((await strict.api('PUT', '/api/v1/channels/LAN', { kind: 'webhook', url, enabled: false })).status).toBe(200);
    }
  });

  it('a URL that now resolves to loopback fails at send time as an attempt, not a request', async () => {
    // Stored while allowed (as if DNS pointed elsewhere then), sent while refused.
    await strict.api('PUT', '/api/v1/channels/LATER', { kind: 'webhook', url: 'http://10.9.9.9/x' });
    const sql = (await import('postgres')).default(strict.databaseUrl, { max: 1, onnotice: () => {} });
    try {
      await sql`update channel set url = 'http://127.0.0.1:1/x' where code = 'LATER'`;
    } finally {
      await sql.end();
    }
    const r = await strict.api('POST', '/api/v1/channels/LATER/test', {});
    expect(r.body).toMatchObject({ ok: false, status: null, error: 'url refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address (TAKT_OUTBOUND_ALLOW_LOOPBACK=true allows it)' });
  });
});
