import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { KpisView } from '../../server/contract/kpis.ts';
import type { KpiState as KpiStateClass } from '../../console/lib/manager/kpi-state.svelte.ts';
import { loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { andonView } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;
let KpiState: typeof KpiStateClass;
const NOW = Date.parse('2026-03-04T01:30:00Z');

function figures(count: number): KpisView {
  return {
    from: '', to: '', timeZone: 'UTC', computedAt: new Date(NOW).toISOString(),
    onTimeDelivery: { completed: 0, onTime: 0, share: null, daily: [] },
    planAdherence: { toleranceMinutes: 60, planned: 0, adhered: 0, share: null },
    andon: { count, acknowledged: 0, resolved: 0, meanMinutesToAcknowledge: null, meanMinutesToResolve: null, pareto: [] },
    screens: [],
  };
}

beforeEach(async () => {
  server = fake.server;
  ({ KpiState } = await import('../../console/lib/manager/kpi-state.svelte.ts'));
  const { locale } = await import('../../ui/lib/i18n/locale.svelte.ts');
  locale.timeZone = 'UTC';
  let served = 0;
  server.api.set('/kpis', () => figures(++served));
});

describe('KpiState', () => {
  it('asks for the chosen period, and for nothing while a custom one is unreadable', async () => {
    const state = new KpiState({ now: () => NOW });
    await state.load();
    const [first] = server.requestsTo('/kpis');
    expect(first!.searchParams.get('from')).toBe('2026-02-26T00:00:00.000Z');
    expect(first!.searchParams.get('to')).toBe('2026-03-04T01:30:00.000Z');
    expect(state.figures?.andon.count).toBe(1);
    state.choice = { preset: 'custom', fromDay: '2026-03-03', toDay: '2026-03-01' };
    await state.load();
    expect(state.invalidPeriod).toBe(true);
    expect(server.requestsTo('/kpis')).toHaveLength(1);
    state.choice = { preset: 'custom', fromDay: '2026-03-01', toDay: '2026-03-03' };
    await state.load();
    expect(state.invalidPeriod).toBe(false);
    expect(server.requestsTo('/kpis')[1]!.searchParams.get('to')).toBe('2026-03-04T00:00:00.000Z');
  });

  it('refreshes every minute and soon after an alert on the stream', async () => {
    const state = new KpiState({ now: () => NOW });
    vi.spyOn(globalThis, 'setInterval');
    await loadAndFollow(server, state);
    expect(vi.mocked(setInterval).mock.calls.some(([, ms]) => ms === 60_000)).toBe(true);
    expect(server.stream.topics).toEqual(['andon', 'order']);
    server.stream.send(message(1, 'andon', { type: 'andon.raised', andon: andonView('a1', 'A') }));
    await vi.waitFor(() => expect(server.requestsTo('/kpis')).toHaveLength(2));
    expect(state.figures?.andon.count).toBe(2);
  });

  it('keeps the figures on screen when a refresh fails, and says why', async () => {
    const state = new KpiState({ now: () => NOW });
    await state.load();
    server.api.delete('/kpis');
    await state.load();
    expect(state.figures?.andon.count).toBe(1);
    expect(state.error?.status).toBe(404);
  });
});
