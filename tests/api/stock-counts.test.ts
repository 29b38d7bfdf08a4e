import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ComponentView, CountView } from '../../server/contract/materials.ts';
import { expectError } from '../support/errors.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const tokens: Record<'warehouse' | 'qc' | 'purchasing', string> = { warehouse: '', qc: '', purchasing: '' };

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    expect((await api('PUT', '/api/v1/operators/OP-1', { name: 'Li Wei' })).status).toBe(200);
    expect((await api('PUT', '/api/v1/components/ROD', { name: 'Rod', unit: 'pcs', onHand: 3, reorderPoint: 2, leadTimeDays: 4 })).status).toBe(200);
    expect((await api('PUT', '/api/v1/components/WIRE', { name: 'Wire', unit: 'm', onHand: 12.5, reorderPoint: 5, leadTimeDays: 2 })).status).toBe(200);
    const routing = [{ seq: 1, workCenter: 'CUT', setupMinutes: 0, runMinutesPerUnit: 1 }];
    expect((await api('PUT', '/api/v1/products/P2', { name: 'Part two', routing, bom: [{ component: 'ROD', quantityPerUnit: 1, seq: 1 }] })).status).toBe(200);
    for (const role of Object.keys(tokens) as (keyof typeof tokens)[]) {
      tokens[role] = (await api('POST', '/api/v1/auth/tokens', { name: role, role })).body.token;
    }
  },
});

const stock = async (code: string) => ComponentView.parse((await t.api('GET', `/api/v1/components/${code}`)).body);
const ledger = (code: string) => t.sql<{ kind: string; quantity: number; client_id: string | null }[]>`
  select kind, quantity, client_id from stock_movement where component_code = ${code} order by id`;

describe('stock counts', () => {
  it('names the field of bad input and answers 404 for an unknown component, booking nothing', async () => {
    const as = { token: tokens.warehouse };
    expectError(await t.api('POST', '/api/v1/components/WIRE/counts', { id: randomUUID(), onHand: -1 }, as), 400, 'validation_failed', 'onHand');
    expectError(await t.api('POST', '/api/v1/components/WIRE/counts', { id: randomUUID(), onHand: '4' }, as), 400, 'validation_failed', 'onHand');
    expectError(await t.api('POST', '/api/v1/components/WIRE/counts', { id: randomUUID() }, as), 400, 'validation_failed', 'onHand');
    expectError(await t.api('POST', '/api/v1/components/WIRE/counts', { onHand: 4 }, as), 400, 'validation_failed', 'id');
    expectError(await t.api('POST', '/api/v1/components/NOPE/counts', { id: randomUUID(), onHand: 4 }, as), 404, 'not_found');
    expect(await ledger('WIRE')).toEqual([{ kind: 'count', quantity: 12.5, client_id: null }]);
  });

  it('books a negative on-hand back to what the warehouse counted, keeps the master data, and is idempotent by id', async () => {
    // The floor cut 5 rods with 3 on the books: the press is booked, the books go to -2.
    const order = await t.api('POST', '/api/v1/orders', { code: 'S-1', product: 'P2', quantity: 5, dueAt: new Date(Date.now() + 48 * 3_600_000).toISOString() });
    expect(order.status).toBe(201);
    expect((await t.api('POST', '/api/v1/events', { id: randomUUID(), operator: 'OP-1', type: 'operation.progress', order: 'S-1', seq: 1, quantityGood: 5 })).status).toBe(201);
    expect(await stock('ROD')).toMatchObject({ onHand: -2, belowReorder: true });

    const id = randomUUID();
    const counted = await t.api('POST', '/api/v1/components/ROD/counts', { id, onHand: 4 }, { token: tokens.warehouse });
    expect(counted.status, JSON.stringify(counted.body)).toBe(201);
    expect(CountView.parse(counted.body)).toEqual({
      id,
      duplicate: false,
      difference: 6,
      component: { code: 'ROD', name: 'Rod', unit: 'pcs', onHand: 4, reorderPoint: 2, leadTimeDays: 4, arrivalAt: null, belowReorder: false },
    });
    // A retry (even one that says something else) books nothing again.
    const again = await t.api('POST', '/api/v1/components/ROD/counts', { id, onHand: 9 }, { token: tokens.warehouse });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id, duplicate: true, difference: 0, component: { onHand: 4 } });
    expect(await ledger('ROD')).toEqual([
      { kind: 'count', quantity: 3, client_id: null },
      { kind: 'backflush', quantity: -5, client_id: expect.any(String) },
      { kind: 'count', quantity: 6, client_id: id },
    ]);
    const [logged] = await t.sql<{ actor: string; payload: Record<string, unknown> }[]>`select actor, payload from event_log where type = 'component.counted' and client_id = ${id}`;
    expect(logged).toEqual({ actor: 'warehouse', payload: { id, onHand: 4, books: -2 } });
  });

  it('a count below the reorder point tells purchasing once; a count equal to the books moves nothing', async () => {
    const down = await t.api('POST', '/api/v1/components/WIRE/counts', { id: randomUUID(), onHand: 3.25 }, { token: tokens.purchasing });
    expect(down.body).toMatchObject({ duplicate: false, difference: -9.25, component: { onHand: 3.25, belowReorder: true } });
    const same = await t.api('POST', '/api/v1/components/WIRE/counts', { id: randomUUID(), onHand: 3.25 }, { token: tokens.warehouse });
    expect(same.status).toBe(201);
    expect(same.body).toMatchObject({ duplicate: false, difference: 0, component: { onHand: 3.25 } });
    expect((await ledger('WIRE')).map((m) => [m.kind, m.quantity])).toEqual([['count', 12.5], ['count', -9.25]]);
    const notices = await t.sql<{ data: Record<string, unknown> }[]>`select data from notification where kind = 'material.below_reorder' and data->>'component' = 'WIRE'`;
    expect(notices.map((n) => n.data)).toEqual([{ component: 'WIRE', onHand: 3.25, reorderPoint: 5, unit: 'm' }]);
  });

  it('is refused to roles that do not count stock, and the warehouse still may not change master data', async () => {
    const before = await ledger('WIRE');
    expectError(await t.api('POST', '/api/v1/components/WIRE/counts', { id: randomUUID(), onHand: 1 }, { token: tokens.qc }), 403, 'forbidden', null);
    expectError(await t.api('PUT', '/api/v1/components/WIRE', { name: 'Wire', unit: 'm', onHand: 1, reorderPoint: 5, leadTimeDays: 2 }, { token: tokens.warehouse }), 403, 'forbidden', null);
    expect(await ledger('WIRE')).toEqual(before);
    expect((await stock('WIRE')).onHand).toBe(3.25);
  });
});
