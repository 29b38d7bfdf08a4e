import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ComponentView, PickingLineView, ShortageView } from '../../server/contract/materials.ts';
import type { PurchasingState as PurchasingStateClass } from '../../console/lib/materials/purchasing-state.svelte.ts';
import type { WarehouseState as WarehouseStateClass } from '../../console/lib/materials/warehouse-state.svelte.ts';
import type * as StockModule from '../../console/lib/materials/stock-state.svelte.ts';
import { json, loadAndFollow, message, useFakeServer, type FakeServer } from './fake-server.ts';
import { andonView, orderView } from './views.ts';

const fake = useFakeServer();
let server: FakeServer;

const shortage = (component: string, over: Partial<ShortageView> = {}): ShortageView => ({
  component,
  name: `${component} name`,
  unit: 'm',
  neededAt: '2026-12-04T06:00:00.000Z',
  shortBy: 12.5,
  orders: ['SO-1'],
  workCenter: 'SAW',
  workCenters: ['SAW'],
  arrivalAt: null,
  operations: [{ order: 'SO-1', seq: 1, workCenter: 'SAW', at: '2026-12-04T06:00:00.000Z', shortBy: 12.5 }],
  ...over,
});
const component = (code: string, over: Partial<ComponentView> = {}): ComponentView => ({ code, name: code, unit: 'm', onHand: 2, reorderPoint: 4, leadTimeDays: 5, arrivalAt: null, belowReorder: true, ...over });

describe('PurchasingState', () => {
  let PurchasingState: typeof PurchasingStateClass;
  beforeEach(async () => {
    server = fake.server;
    ({ PurchasingState } = await import('../../console/lib/materials/purchasing-state.svelte.ts'));
    server.api.set('/shortages', [shortage('STEEL-40')]);
    server.api.set('/andon', [andonView('A1', 'SAW', { reason: 'material', order: 'SO-1', seq: 1 }), andonView('A2', 'MILL', { reason: 'breakdown' })]);
    server.api.set('/components', [component('STEEL-40')]);
  });

  it('loads shortages, open material andons only, and components below their reorder point', async () => {
    const state = new PurchasingState();
    await state.load();
    expect(state.loaded).toBe(true);
    expect(state.shortages.map((s) => s.component)).toEqual(['STEEL-40']);
    expect(state.materialAndons.map((a) => a.id)).toEqual(['A1']);
    expect(server.requestsTo('/andon')[0]!.searchParams.get('state')).toBe('open');
    expect(server.requestsTo('/components')[0]!.searchParams.get('belowReorder')).toBe('true');
    expect(state.belowReorder.map((c) => c.code)).toEqual(['STEEL-40']);
  });

  it('stores an arrival estimate and re-reads; a refusal stays beside its component', async () => {
    const state = new PurchasingState();
    await state.load();
    const sent: unknown[] = [];
    server.api.set('/components/STEEL-40/arrival', async (_url: URL, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      server.api.set('/shortages', [shortage('STEEL-40', { arrivalAt: '2026-12-04T10:00:00.000Z' })]);
      return component('STEEL-40', { arrivalAt: '2026-12-04T10:00:00.000Z' });
    });
    expect(await state.setArrival('STEEL-40', '2026-12-04T10:00:00.000Z')).toBe(true);
    expect(sent).toEqual([{ expectedAt: '2026-12-04T10:00:00.000Z' }]);
    expect(state.shortages[0]!.arrivalAt).toBe('2026-12-04T10:00:00.000Z');
    expect(state.saving).toBeNull();
    server.api.set('/components/STEEL-40/arrival', json(400, { error: { code: 'validation_failed', message: 'expectedAt is in the past', field: 'expectedAt' } }));
    expect(await state.setArrival('STEEL-40', '2020-01-01T00:00:00.000Z')).toBe(false);
    expect(state.saveError).toMatchObject({ key: 'STEEL-40', error: { status: 400, field: 'expectedAt' } });
  });

  it('re-reads once per burst of plan messages, and on material notices only', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const state = new PurchasingState();
      await loadAndFollow(server, state);
      expect(server.requestsTo('/shortages')).toHaveLength(1);
      server.stream.send(message(1, 'schedule', { version: 2, computedAt: '2026-12-03T08:00:00.000Z', trigger: { kind: 'x', causeId: null }, causes: [], solveMs: 5, lateOrders: 0, operations: 3 }));
      server.stream.send(message(2, 'eta', { version: 2, causes: [], changes: [] }));
      await vi.waitFor(() => expect(server.streams.length).toBeGreaterThan(0));
      await vi.advanceTimersByTimeAsync(500);
      await vi.waitFor(() => expect(server.requestsTo('/shortages')).toHaveLength(2));
      const feed = { id: 9, createdAt: '2026-12-03T08:00:00.000Z', readAt: null, audience: 'sales', kind: 'order.late', order: 'SO-1', dueAt: '2026-12-03T08:00:00.000Z', eta: '2026-12-03T09:00:00.000Z', etaP90: null, latenessMinutes: 60, reasons: [] };
      server.stream.send(message(3, 'notification', feed));
      await vi.advanceTimersByTimeAsync(500);
      expect(server.requestsTo('/shortages')).toHaveLength(2);
      server.stream.send(message(4, 'notification', { id: 10, createdAt: '2026-12-03T08:00:00.000Z', readAt: null, audience: 'purchasing', kind: 'material.below_reorder', component: 'STEEL-40', onHand: 2, reorderPoint: 4, unit: 'm' }));
      await vi.advanceTimersByTimeAsync(500);
      await vi.waitFor(() => expect(server.requestsTo('/shortages')).toHaveLength(3));
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('WarehouseState', () => {
  let WarehouseState: typeof WarehouseStateClass;
  const line = (order: string, over: Partial<PickingLineView> = {}): PickingLineView => ({
    order,
    seq: 1,
    product: 'P1',
    workCenter: 'SAW',
    machine: 1,
    start: '2026-12-03T09:00:00.000Z',
    quantity: 10,
    components: [{ component: 'STEEL-40', name: 'Bar', unit: 'm', quantity: 4.5, onHand: 20, short: false }],
    ...over,
  });
  beforeEach(async () => {
    server = fake.server;
    ({ WarehouseState } = await import('../../console/lib/materials/warehouse-state.svelte.ts'));
    server.api.set('/picking', (url: URL) => (url.searchParams.get('hours') === '8' ? [line('SO-1')] : [line('SO-1'), line('SO-2')]));
    server.api.set('/orders', [orderView('SO-9', { status: 'completed', dueAt: '2026-12-05T00:00:00.000Z' }), orderView('SO-8', { status: 'completed', dueAt: '2026-12-04T00:00:00.000Z' })]);
  });

  it('picks for the next 8 hours by default, and for the window chosen; finished orders earliest due first', async () => {
    const state = new WarehouseState();
    await state.load();
    expect(state.hours).toBe(8);
    expect(state.picking.map((p) => p.order)).toEqual(['SO-1']);
    expect(server.requestsTo('/orders')[0]!.searchParams.get('status')).toBe('completed');
    expect(server.requestsTo('/orders')[0]!.searchParams.get('shipped')).toBe('false');
    expect(state.toShip.map((o) => o.code)).toEqual(['SO-8', 'SO-9']);
    await state.choose(24);
    expect(server.requestsTo('/picking').at(-1)!.searchParams.get('hours')).toBe('24');
    expect(state.picking.map((p) => p.order)).toEqual(['SO-1', 'SO-2']);
  });

  it('ships an order: it leaves the list once the API took it, a double press sends one request, a refusal is shown', async () => {
    let release = () => {};
    server.api.set('/orders/SO-8/ship', () => new Promise((r) => (release = () => r(orderView('SO-8', { status: 'completed', shippedAt: '2026-12-03T10:00:00.000Z' })))));
    server.api.set('/orders/SO-9/ship', () => new Response(JSON.stringify({ error: { code: 'invalid_state', message: 'open', field: 'code' } }), { status: 409, headers: { 'content-type': 'application/json' } }));
    const state = new WarehouseState();
    await state.load();
    const first = state.ship('SO-8');
    const second = state.ship('SO-8');
    expect(state.shipping.has('SO-8')).toBe(true);
    release();
    await Promise.all([first, second]);
    expect(server.requestsTo('/orders/SO-8/ship')).toHaveLength(1);
    expect(state.toShip.map((o) => o.code)).toEqual(['SO-9']);
    expect(state.shipping.size).toBe(0);
    await state.ship('SO-9');
    expect(state.shipError?.status).toBe(409);
    expect(state.toShip.map((o) => o.code)).toEqual(['SO-9']);
  });
});

describe('StockState', () => {
  let stockModule: typeof StockModule;
  beforeEach(async () => {
    server = fake.server;
    stockModule = await import('../../console/lib/materials/stock-state.svelte.ts');
    server.api.set('/components', [component('SHEET-2', { unit: 'pcs', onHand: -223.55, reorderPoint: 40 }), component('STEEL-20', { onHand: 12.5, reorderPoint: 4, belowReorder: false })]);
  });

  it('reads every component, and says a count is due only below zero', async () => {
    const state = new stockModule.StockState();
    await state.load();
    expect(server.requestsTo('/components')[0]!.searchParams.get('belowReorder')).toBeNull();
    expect(state.components.map((c) => [c.code, stockModule.countDue(c)])).toEqual([['SHEET-2', true], ['STEEL-20', false]]);
    expect(stockModule.countDue({ onHand: 0 })).toBe(false);
  });

  it('takes counts of 0 or more, with a decimal point or comma, and nothing else', () => {
    const { parseCount } = stockModule;
    expect(['12', '0', ' 12.5 ', '12,5', '007'].map(parseCount)).toEqual([12, 0, 12.5, 12.5, 7]);
    expect(['', '-1', 'abc', '1e3', '12.', '1.2.3', '2000000000'].map(parseCount)).toEqual([null, null, null, null, null, null, null]);
  });

  it('posts a count with the id of its open form: the row shows the booked figure; a retry after a failure sends the same id', async () => {
    const sent: unknown[] = [];
    let fail = true;
    server.api.set('/components/SHEET-2/counts', async (_url: URL, init: RequestInit) => {
      sent.push(JSON.parse(String(init.body)));
      if (fail) return json(503, { error: { code: 'database_unavailable', message: 'the database is not answering' } });
      const body = JSON.parse(String(init.body)) as { id: string; onHand: number };
      return json(201, { id: body.id, duplicate: false, difference: 263.55, component: component('SHEET-2', { unit: 'pcs', onHand: 40, reorderPoint: 40, belowReorder: false }) });
    });
    const state = new stockModule.StockState();
    await state.load();
    state.open('SHEET-2');
    const id = state.counting!.id;
    expect(await state.save('forty')).toBe(false);
    expect(state.countError).toBe('invalid');
    expect(sent).toEqual([]);
    expect(await state.save('40')).toBe(false);
    expect(state.countError).toMatchObject({ status: 503 });
    expect(state.counting).toEqual({ code: 'SHEET-2', id });
    fail = false;
    expect(await state.save('40')).toBe(true);
    expect(sent).toEqual([{ id, onHand: 40 }, { id, onHand: 40 }]);
    expect(state.counting).toBeNull();
    expect(state.countError).toBeNull();
    expect(state.components.map((c) => [c.code, c.onHand])).toEqual([['SHEET-2', 40], ['STEEL-20', 12.5]]);
    // A new form is a new count.
    state.open('SHEET-2');
    expect(state.counting!.id).not.toBe(id);
    state.cancel();
    expect(state.counting).toBeNull();
  });
});
