import { beforeEach, describe, expect, it } from 'vitest';
import { channelBodyOf, draftOf, newChannelDraft, presetDraft, subscriptionBodyOf, subscriptionDraftOf } from '../../console/lib/channels/channel-forms.ts';
import type { ChannelsState as ChannelsStateClass } from '../../console/lib/channels/channels-state.svelte.ts';
import type { ChannelView, DeliveryView, SubscriptionView } from '../../server/contract/channels.ts';
import { json, useFakeServer, type FakeServer } from './fake-server.ts';

const fake = useFakeServer();
let server: FakeServer;
let ChannelsState: typeof ChannelsStateClass;

const ding: ChannelView = {
  code: 'DING', kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', hasSecret: true, smtp: null, to: [], language: 'zh-CN', enabled: true, disabledReason: null, disabledCause: null, failingSince: null, updatedAt: '2026-03-02T08:00:00.000Z',
};
const sub: SubscriptionView = { code: 'DING-FLOOR', channel: 'DING', kinds: ['andon.raised', 'andon.escalated'], filter: { departments: ['floor'], lines: ['L1'] }, from: null, to: null, enabled: true, updatedAt: '2026-03-02T08:00:00.000Z' };
const delivery = (id: string, state: DeliveryView['state']): DeliveryView => ({
  id, channel: 'DING', kind: 'andon.raised', state, summary: '安灯：CUT 缺料 · 通知 lead', held: false, digest: null, attempts: 1, lastStatus: 200, lastError: null, nextAttemptAt: null, createdAt: '2026-03-02T08:00:00.000Z', deliveredAt: null, attemptLog: [],
});

beforeEach(async () => {
  server = fake.server;
  ({ ChannelsState } = await import('../../console/lib/channels/channels-state.svelte.ts'));
  server.api.set('/channels', [ding]);
  server.api.set('/subscriptions', [sub]);
  server.api.set('/deliveries', [delivery('msg_1', 'failed')]);
});

describe('channel forms', () => {
  it('a blank secret is left out (the stored one is kept); clearing sends null; a WeCom robot never sends one', () => {
    const draft = draftOf(ding);
    expect(draft.secret).toBe('');
    expect(channelBodyOf(draft)).toEqual({ kind: 'dingtalk', language: 'zh-CN', enabled: true, url: ding.url });
    expect(channelBodyOf({ ...draft, secret: ' SECnew ' })).toMatchObject({ secret: 'SECnew' });
    expect(channelBodyOf({ ...draft, secret: 'x', clearSecret: true })).toMatchObject({ secret: null });
    expect(channelBodyOf({ ...newChannelDraft(), code: 'W', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', secret: 'ignored' })).not.toHaveProperty('secret');
  });

  it('an e-mail channel sends smtp and the recipients list, and no url', () => {
    const body = channelBodyOf({ ...newChannelDraft(), code: 'MAIL', kind: 'email', smtpHost: 'mail.plant.cn', smtpPort: 587, smtpFrom: 'takt@plant.cn', to: 'qc@plant.cn, lead@plant.cn;boss@plant.cn', secret: 'pw' });
    expect(body).toEqual({
      kind: 'email', language: 'zh-CN', enabled: true, secret: 'pw',
      smtp: { host: 'mail.plant.cn', port: 587, requireTls: true, allowSelfSigned: false, from: 'takt@plant.cn' },
      to: ['qc@plant.cn', 'lead@plant.cn', 'boss@plant.cn'],
    });
  });

  it('a department default becomes a subscription of the channel; empty filters are left out; customers keep their spaces', () => {
    const sales = presetDraft('sales', 'wecom-1');
    expect(sales.code).toBe('WECOM-1-SALES');
    expect(subscriptionBodyOf(sales)).toEqual({ channel: 'wecom-1', kinds: ['order.late', 'order.eta_moved', 'quote.confirmed'], enabled: true, filter: { departments: ['sales'] } });
    expect(subscriptionBodyOf(presetDraft('manager', 'M'))).toMatchObject({ filter: { minMinutesLate: 15 } });
    const edited = { ...subscriptionDraftOf(sub), customers: 'ACME Corp, 苏州精工', minMinutesLate: '30', workCenters: 'CUT WELD' };
    expect(subscriptionBodyOf(edited).filter).toEqual({ lines: ['L1'], workCenters: ['CUT', 'WELD'], customers: ['ACME Corp', '苏州精工'], departments: ['floor'], minMinutesLate: 30 });
    expect(subscriptionBodyOf(edited)).not.toHaveProperty('to');
    expect(subscriptionBodyOf({ ...edited, to: 'qc@plant.cn; boss@plant.cn', from: ' qc-bot@plant.cn ' })).toMatchObject({ to: ['qc@plant.cn', 'boss@plant.cn'], from: 'qc-bot@plant.cn' });
  });
});

describe('ChannelsState', () => {
  it('loads channels, subscriptions and the log; the log filters go to the API', async () => {
    const state = new ChannelsState();
    await state.load();
    expect(state.channels.map((c) => c.code)).toEqual(['DING']);
    expect(state.subscriptionsOf('DING').map((s) => s.code)).toEqual(['DING-FLOOR']);
    expect(state.deliveries.map((d) => d.id)).toEqual(['msg_1']);
    state.channelFilter = 'DING';
    state.stateFilter = 'failed';
    await state.loadDeliveries();
    const asked = server.requestsTo('/deliveries').at(-1)!;
    expect([asked.searchParams.get('channel'), asked.searchParams.get('state')]).toEqual(['DING', 'failed']);
  });

  it('a generated webhook secret is kept to show once and never stored in the list', async () => {
    const state = new ChannelsState();
    await state.load();
    server.api.set('/channels/HOOK', () => ({ ...ding, code: 'HOOK', kind: 'webhook', generatedSecret: 'whsec_abc' }));
    expect(await state.saveChannel({ ...newChannelDraft(), code: 'HOOK', kind: 'webhook', url: 'http://10.0.0.1/erp' })).toBe(true);
    expect(state.generatedSecret).toEqual({ channel: 'HOOK', secret: 'whsec_abc' });
    expect(state.channels.map((c) => c.code)).toEqual(['DING', 'HOOK']);
    expect(state.channels[1]).not.toHaveProperty('generatedSecret');
  });

  it('a refused PUT keeps the list and shows why (400 naming url)', async () => {
    const state = new ChannelsState();
    await state.load();
    server.api.set('/channels/BAD', () => json(400, { error: { code: 'validation_failed', message: 'url refused', field: 'url' } }));
    expect(await state.saveChannel({ ...newChannelDraft(), code: 'BAD', url: 'http://127.0.0.1/' })).toBe(false);
    expect(state.actionError?.field).toBe('url');
    expect(state.channels.map((c) => c.code)).toEqual(['DING']);
  });

  it('test keeps each channel\'s answer; replay replaces the row with the answer', async () => {
    const state = new ChannelsState();
    await state.load();
    server.api.set('/channels/DING/test', { delivery: 'msg_t', ok: false, status: 200, latencyMs: 31, error: '310000: sign not match' });
    await state.test('DING');
    expect(state.tests.DING).toEqual({ delivery: 'msg_t', ok: false, status: 200, latencyMs: 31, error: '310000: sign not match' });
    server.api.set('/deliveries/msg_1/replay', { ...delivery('msg_1', 'pending'), attempts: 1 });
    expect(await state.replay('msg_1')).toBe(true);
    expect(state.deliveries.map((d) => [d.id, d.state])).toEqual([['msg_1', 'pending']]);
  });
});
