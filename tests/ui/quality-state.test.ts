import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { QualityState as QualityStateClass } from '../../console/lib/quality/quality-state.svelte.ts';
import { json, loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { andonView } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;
let QualityState: typeof QualityStateClass;

const held = andonView('Q-HELD', 'WELD', { reason: 'quality', order: 'O1', seq: 2, raisedAt: '2026-03-02T07:00:00.000Z' });
const loose = andonView('Q-LOOSE', 'CUT', { reason: 'quality', raisedAt: '2026-03-02T09:00:00.000Z' });
const breakdown = andonView('B-1', 'CUT', { reason: 'breakdown' });

beforeEach(async () => {
  server = fake.server;
  ({ QualityState } = await import('../../console/lib/quality/quality-state.svelte.ts'));
  server.api.set('/andon', [held, breakdown, loose]);
});

describe('QualityState', () => {
  it('keeps the open quality alerts, newest first; the held ones are those naming an operation', async () => {
    const state = new QualityState();
    await state.load();
    expect(server.requestsTo('/andon')[0]!.searchParams.get('state')).toBe('open');
    expect(state.andons.map((a) => a.id)).toEqual(['Q-LOOSE', 'Q-HELD']);
    expect(state.held.map((a) => a.id)).toEqual(['Q-HELD']);
  });

  it('follows the andon topic: a new quality hold joins, a resolved one leaves, other reasons never show', async () => {
    const state = new QualityState();
    await loadAndFollow(server, state);
    server.stream.send(message(1, 'andon', { type: 'andon.raised', andon: andonView('Q-NEW', 'CUT', { reason: 'quality', order: 'O3', seq: 1, raisedAt: '2026-03-02T10:00:00.000Z' }) }));
    server.stream.send(message(2, 'andon', { type: 'andon.raised', andon: andonView('M-1', 'CUT', { reason: 'material', order: 'O4', seq: 1 }) }));
    await vi.waitFor(() => expect(state.held.map((a) => a.id)).toEqual(['Q-HELD', 'Q-NEW']));
    server.stream.send(message(3, 'andon', { type: 'andon.resolved', andon: { ...held, state: 'resolved', resolvedAt: '2026-03-02T11:00:00.000Z' } }));
    await vi.waitFor(() => expect(state.andons.map((a) => a.id)).toEqual(['Q-NEW', 'Q-LOOSE']));
  });

  it('release resolves with the root cause and drops the hold at once; a refusal is kept to show', async () => {
    const state = new QualityState();
    await state.load();
    let sent: unknown = null;
    server.api.set('/andon/Q-HELD/resolve', async (_url: URL, init: RequestInit) => {
      sent = JSON.parse(String(init.body));
      return { ...held, state: 'resolved' };
    });
    await state.release('Q-HELD', '  gauge recalibrated ');
    expect(sent).toEqual({ rootCause: 'gauge recalibrated' });
    expect(state.held).toEqual([]);
    expect(state.busy).toBeNull();

    server.api.set('/andon/Q-LOOSE/acknowledge', () => json(409, { error: { code: 'invalid_state', message: 'already acknowledged' } }));
    await state.acknowledge('Q-LOOSE');
    expect(state.actionError?.status).toBe(409);
    expect(state.andons.map((a) => a.id)).toEqual(['Q-LOOSE']);
  });

  it('loads the Pareto for the chosen period and grouping', async () => {
    const state = new QualityState();
    const body = { from: 'f', to: 't', by: 'workCenter', totalQuantity: 0, totalReports: 0, rows: [] };
    server.api.set('/quality/scrap', body);
    state.days = 30;
    state.by = 'workCenter';
    await state.loadPareto(Date.parse('2026-03-31T00:00:00Z'));
    const asked = server.requestsTo('/quality/scrap')[0]!.searchParams;
    expect([asked.get('from'), asked.get('to'), asked.get('by')]).toEqual(['2026-03-01T00:00:00.000Z', '2026-03-31T00:00:00.000Z', 'workCenter']);
    expect(state.pareto).toEqual(body);
  });
});
