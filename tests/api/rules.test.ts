import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { andonEffects } from '../../server/contract/andon-effects.ts';
import { andonStates, andonTransitions, canApplyToAndon, type AndonAction, type AndonState } from '../../server/contract/andon.ts';
import { floorEventTypes, type FloorEventType } from '../../server/contract/floor-events.ts';
import { orderIsLate } from '../../server/contract/lateness.ts';
import { canApply, type OperationStatus } from '../../server/contract/operation-transitions.ts';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

/** Each business rule has one home; these tests name it and check it end to end. */
const t = useTestSystem({ seed: seedSmallFactory });

const DAY_MS = 24 * 3_600_000;

describe('andon effects (server/contract/andon-effects.ts)', () => {
  it('a safety stop takes the work center down exactly like a breakdown, and "other" changes nothing', async () => {
    expect(andonEffects.safety.effect).toBe(andonEffects.breakdown.effect);
    await createOrder(t.api, 'RULE-A', { quantity: 10 });
    const free = Date.parse((await waitForEta(t.api, 'RULE-A')).eta);

    const etaWhileOpen = async (reason: 'breakdown' | 'safety' | 'other') => {
      const raised = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason, expectedMinutes: 24 * 60 });
      expect(raised.status).toBe(201);
      const raisedAt = Date.parse(raised.body.raisedAt);
      const moved = reason === 'other' ? null : await waitForEta(t.api, 'RULE-A', (eta) => Date.parse(eta) > raisedAt + DAY_MS);
      // "other" is shown and escalated but leaves the plan alone: give the loop time to prove it.
      if (!moved) await new Promise((r) => setTimeout(r, 800));
      const eta = Date.parse((await t.api('GET', '/api/v1/orders/RULE-A')).body.eta!);
      expect((await t.api('POST', `/api/v1/andon/${raised.body.id}/resolve`, {})).status).toBe(200);
      await waitForEta(t.api, 'RULE-A', (e) => Date.parse(e) < raisedAt + DAY_MS);
      return { eta, raisedAt };
    };

    const breakdown = await etaWhileOpen('breakdown');
    const safety = await etaWhileOpen('safety');
    // Both push the order past the 24 h stop by the same amount (raised a few seconds apart).
    expect(breakdown.eta - breakdown.raisedAt).toBeGreaterThan(DAY_MS);
    expect(Math.abs(safety.eta - safety.raisedAt - (breakdown.eta - breakdown.raisedAt))).toBeLessThan(60_000);
    const other = await etaWhileOpen('other');
    expect(other.eta).toBeLessThan(other.raisedAt + DAY_MS);
    expect(Math.abs(other.eta - free)).toBeLessThan(5 * 60_000);
  });
});

describe('"late" (server/contract/lateness.ts)', () => {
  it('late= filters before the limit, and every listed flag follows the one definition', async () => {
    const now = Date.now();
    // Two orders already past due (late whatever the plan), then two due next month.
    for (const [code, hours] of [['LATE-1', -5], ['LATE-2', -4], ['ON-1', 24 * 30], ['ON-2', 24 * 31]] as const) {
      await createOrder(t.api, code, { dueInHours: hours });
    }
    await waitForEta(t.api, 'ON-2');
    const onTime = await t.api('GET', '/api/v1/orders?late=false&limit=2');
    expect(onTime.status).toBe(200);
    // Sorted by due date, the first two rows are the late ones: filtering after the limit found none.
    expect(onTime.body.map((o) => o.code)).toHaveLength(2);
    expect(onTime.body.every((o) => !o.late)).toBe(true);
    const late = await t.api('GET', '/api/v1/orders?late=true&limit=2');
    expect(late.body.map((o) => o.code).sort()).toEqual(['LATE-1', 'LATE-2']);

    const all = await t.api('GET', '/api/v1/orders?status=all');
    for (const o of all.body) expect(o.late, o.code).toBe(orderIsLate(o, now));
    const lateCodes = (await t.api('GET', '/api/v1/orders?status=all&late=true')).body.map((o) => o.code).sort();
    expect(lateCodes).toEqual(all.body.filter((o) => o.late).map((o) => o.code).sort());

    // A completed order is never late; without an ETA only the due date counts (SQL and TS alike).
    for (const seq of [1, 2]) {
      expect((await t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.completed', order: 'LATE-1', seq })).status).toBe(201);
    }
    expect((await t.api('GET', '/api/v1/orders/LATE-1')).body.status).toBe('completed');
    await t.sql`delete from order_eta where order_id in (select id from customer_order where code in ('LATE-2', 'ON-1'))`;
    const after = (await t.api('GET', '/api/v1/orders?status=all')).body;
    const flag = (code: string) => after.find((o) => o.code === code)?.late;
    expect([flag('LATE-1'), flag('LATE-2'), flag('ON-1')]).toEqual([false, true, false]);
    const lateNow = (await t.api('GET', '/api/v1/orders?status=all&late=true')).body.map((o) => o.code);
    expect(lateNow).toContain('LATE-2');
    expect(lateNow).not.toContain('LATE-1');
    expect(lateNow).not.toContain('ON-1');
  });
});

describe('operation transitions (server/contract/operation-transitions.ts)', () => {
  it('the server accepts a floor event exactly where the table allows it, from every status', async () => {
    const statuses = ['pending', 'running', 'paused', 'completed'] as const satisfies readonly OperationStatus[];
    // How to bring a fresh operation to each status.
    const path: Record<OperationStatus, FloorEventType[]> = {
      pending: [],
      running: ['operation.started'],
      paused: ['operation.started', 'operation.paused'],
      completed: ['operation.completed'],
    };
    let n = 0;
    for (const status of statuses) {
      for (const type of floorEventTypes) {
        const code = `TR-${(n += 1)}`;
        await createOrder(t.api, code, { quantity: 10 });
        for (const step of path[status]) {
          expect((await t.api('POST', '/api/v1/events', { id: randomUUID(), type: step, order: code, seq: 1 })).status).toBe(201);
        }
        const body = { id: randomUUID(), type, order: code, seq: 1, ...(type === 'operation.progress' ? { quantityGood: 1 } : {}) };
        const r = await t.api('POST', '/api/v1/events', body);
        expect(r.status, `${type} from ${status}`).toBe(canApply(type, status) ? 201 : 409);
      }
    }
  });
});

describe('andon lifecycle (andonTransitions in server/contract/andon.ts)', () => {
  it('each action is accepted exactly from the states the table lists, else 409', async () => {
    const reach: Record<AndonState, AndonAction[]> = { raised: [], acknowledged: ['acknowledge'], resolved: ['resolve'], cancelled: ['cancel'] };
    const bodyOf = (action: AndonAction) => (action === 'estimate' ? { expectedMinutes: 30 } : {});
    for (const state of andonStates) {
      for (const action of Object.keys(andonTransitions) as AndonAction[]) {
        const raised = await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'WELD', reason: 'other' });
        const id = raised.body.id;
        for (const step of reach[state]) expect((await t.api('POST', `/api/v1/andon/${id}/${step}`, bodyOf(step))).status).toBe(200);
        const r = await t.api('POST', `/api/v1/andon/${id}/${action}`, bodyOf(action));
        expect(r.status, `${action} from ${state}`).toBe(canApplyToAndon(action, state) ? 200 : 409);
        if (r.status === 200) expect(r.body).toMatchObject({ state: andonTransitions[action].to ?? state });
      }
    }
  });
});
