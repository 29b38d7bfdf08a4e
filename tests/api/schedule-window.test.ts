import { describe, expect, it } from 'vitest';
import { expectError } from '../support/errors.ts';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

describe('GET /schedule with a window (the Gantt viewport)', () => {
  it('keeps exactly the operations overlapping [from, to), those crossing an edge included', async () => {
    for (let i = 1; i <= 4; i++) await createOrder(t.api, `WIN-${i}`, { quantity: 60 });
    await waitForEta(t.api, 'WIN-4');
    const all = (await t.api('GET', '/api/v1/schedule')).body.operations;
    expect(all.length).toBeGreaterThanOrEqual(8);
    const starts = all.map((o) => Date.parse(o.start)).sort((a, b) => a - b);
    // A window in the middle of the plan, with edges inside operations.
    const from = starts[2]! + 60_000;
    const to = starts[5]! + 60_000;
    const window = await t.api('GET', `/api/v1/schedule?from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`);
    expect(window.status).toBe(200);
    const expected = all.filter((o) => Date.parse(o.end) > from && Date.parse(o.start) < to).map((o) => `${o.order}/${o.seq}`);
    expect(window.body.operations.map((o) => `${o.order}/${o.seq}`).sort()).toEqual(expected.sort());
    expect(expected.length).toBeLessThan(all.length);
  });

  it('names the field when the window is invalid', async () => {
    expectError(await t.api('GET', '/api/v1/schedule?from=yesterday'), 400, 'validation_failed', 'from');
    const at = new Date().toISOString();
    expectError(await t.api('GET', `/api/v1/schedule?from=${at}&to=${at}`), 400, 'validation_failed', 'to');
  });
});
