import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { QuoteView } from '../../server/contract/quotes.ts';
import { createOrder, seedSmallFactory, settledSampling, waitForEta } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

let salesToken: string;
let workerToken: string;

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    // A queue on the line: a tight order and a relaxed one.
    await createOrder(api, 'Q-TIGHT', { quantity: 60, dueInHours: 4 });
    await createOrder(api, 'Q-EASY', { quantity: 60, dueInHours: 72 });
    salesToken = (await api('POST', '/api/v1/auth/tokens', { name: 'sales', role: 'sales' })).body.token;
    workerToken = (await api('POST', '/api/v1/auth/tokens', { name: 'station', role: 'worker' })).body.token;
  },
});

beforeAll(async () => {
  await waitForEta(t.api, 'Q-TIGHT');
  await waitForEta(t.api, 'Q-EASY');
  // New orders are sampled at once, and the sampling publishes (P90s, an at-risk notice for Q-TIGHT):
  // let it finish, so what the tests count is the quote's doing alone.
  await settledSampling(t.sql);
});

async function ask(body: Record<string, unknown>, token = salesToken) {
  return t.api<string, string, QuoteView>('POST', '/api/v1/quotes', body, { token });
}

// The P50/P90 sampling publishes eta messages of its own, paced, whenever it runs (no cause): not the quote's.
const counts = async () =>
  (await t.sql<{ orders: number; messages: number; quotes: number }[]>`
    select (select count(*)::int from customer_order) as orders,
      (select count(*)::int from stream_message where not (topic = 'eta' and cause_id is null)) as messages,
      (select count(*)::int from quote) as quotes`)[0]!;

describe('POST /quotes', () => {
  it('answers a date, its release and the orders it would delay, in the documented shape, writing nothing but the quote', async () => {
    const before = await counts();
    const started = Date.now();
    const r = await ask({ product: 'P1', quantity: 30, customer: 'Globex', wantedBy: new Date(started + 7 * 86_400_000).toISOString() });
    expect(r.status).toBe(201);
    expect(QuoteView.safeParse(r.body).success, JSON.stringify(r.body)).toBe(true);
    const q = r.body;
    expect(q).toMatchObject({ product: 'P1', quantity: 30, customer: 'Globex', mode: 'keep-promises', meetsWantedBy: true, order: null, priority: 1 });
    expect(Date.parse(q.eta)).toBeGreaterThan(started);
    // Sampled futures of the quoted plan: never before the date the plan keeps.
    expect(Date.parse(q.etaP90!)).toBeGreaterThanOrEqual(Date.parse(q.eta));
    // The promise is the 90 % date.
    expect(q.promiseAt).toBe(q.etaP90);
    expect(Date.parse(q.releaseAt)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(q.expiresAt) - Date.parse(q.createdAt)).toBe(60 * 60_000);
    // Keeping promises: nobody on time before is late after.
    expect(q.impacts.filter((i) => i.lateAfter && !i.lateBefore)).toEqual([]);
    const after = await counts();
    expect(after).toEqual({ ...before, quotes: before.quotes + 1 });
    expect((await t.api<string, string, QuoteView>('GET', `/api/v1/quotes/${q.id}`, undefined, { token: salesToken })).body).toEqual(q);
  });

  it('earliest: expedited ahead of the queue, naming the order it pushes back', async () => {
    const asked = Date.now();
    const keep = (await ask({ product: 'P1', quantity: 30 })).body;
    const earliest = await ask({ product: 'P1', quantity: 30, mode: 'earliest' });
    expect(earliest.status).toBe(201);
    // Work that can start at once is planned from the moment of asking: the second answer may be
    // later by the time that passed between the two, and by no more.
    expect(Date.parse(earliest.body.eta)).toBeLessThanOrEqual(Date.parse(keep.eta) + (Date.now() - asked));
    expect(earliest.body.priority).toBe(2);
    // Q-TIGHT's cutting starts now (frozen: the floor is preparing it), and its welding finds a free
    // machine: the expedited job goes ahead of Q-EASY (due in 72 h) instead, which it pushes back.
    expect(earliest.body.impacts.map((i) => i.order)).toEqual(['Q-EASY']);
    const [easy] = earliest.body.impacts;
    expect(Date.parse(easy!.etaAfter)).toBeGreaterThan(Date.parse(easy!.etaBefore));
  });

  it('refuses bad input with the field named, unknown products with 404, and roles that do not sell', async () => {
    expectError(await ask({ product: 'NOPE', quantity: 5 }), 404, 'not_found', 'product');
    expectError(await ask({ product: 'P1', quantity: 0 }), 400, 'validation_failed', 'quantity');
    expectError(await ask({ product: 'P1', quantity: 5, mode: 'soonest' }), 400, 'validation_failed', 'mode');
    expectError(await ask({ product: 'P1', quantity: 5, wantedBy: 'tomorrow' }), 400, 'validation_failed', 'wantedBy');
    expectError(await ask({ product: 'P1', quantity: 5 }, workerToken), 403, 'forbidden', null);
    expectError(await t.api('GET', '/api/v1/quotes/not-a-uuid', undefined, { token: salesToken }), 400, 'validation_failed', 'id');
    expectError(await t.api('GET', `/api/v1/quotes/${randomUUID()}`, undefined, { token: salesToken }), 404, 'not_found', 'id');
  });
});

describe('POST /orders with a quote', () => {
  it('is honest: the order is promised the quote\'s 90 % date and the live plan ends it by the quoted plan date', async () => {
    const asked = Date.now();
    const q = (await ask({ product: 'P1', quantity: 40, customer: 'Initech' })).body;
    const r = await t.api('POST', '/api/v1/orders', { code: 'Q-FROM-QUOTE', product: 'P1', quantity: 40, quote: q.id }, { token: salesToken });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ dueAt: q.promiseAt, customer: 'Initech' });
    expect(Date.parse(q.promiseAt)).toBeGreaterThanOrEqual(Date.parse(q.eta));
    const planned = await waitForEta(t.api, 'Q-FROM-QUOTE');
    // The floor has not changed since the quote, only the clock: work planned to start at once moves
    // with it, by at most the time since the quote was asked.
    expect(Date.parse(planned.eta)).toBeLessThanOrEqual(Date.parse(q.eta) + (Date.now() - asked));
    expect(planned.late).toBe(false);
    expect((await t.api<string, string, QuoteView>('GET', `/api/v1/quotes/${q.id}`, undefined, { token: salesToken })).body.order).toBe('Q-FROM-QUOTE');
    // One order per quote.
    expectError(await t.api('POST', '/api/v1/orders', { code: 'Q-AGAIN', product: 'P1', quantity: 40, quote: q.id }, { token: salesToken }), 409, 'invalid_state', 'quote');
  });

  it('keeps a later due date asked for, and refuses an expired quote, another quantity or product, and no date at all', async () => {
    const q = (await ask({ product: 'P1', quantity: 10 })).body;
    const later = new Date(Date.parse(q.promiseAt) + 3 * 86_400_000).toISOString();
    expectError(await t.api('POST', '/api/v1/orders', { code: 'Q-QTY', product: 'P1', quantity: 11, quote: q.id }), 400, 'validation_failed', 'quantity');
    const r = await t.api('POST', '/api/v1/orders', { code: 'Q-LATER', product: 'P1', quantity: 10, quote: q.id, dueAt: later });
    expect(r.status).toBe(201);
    expect(Date.parse(r.body.dueAt)).toBe(Date.parse(later));

    const old = (await ask({ product: 'P1', quantity: 10 })).body;
    await t.sql`update quote set expires_at = now() - interval '1 minute' where id = ${old.id}`;
    const before = await counts();
    expectError(await t.api('POST', '/api/v1/orders', { code: 'Q-EXPIRED', product: 'P1', quantity: 10, quote: old.id }), 409, 'invalid_state', 'quote');
    expectError(await t.api('POST', '/api/v1/orders', { code: 'Q-UNKNOWN', product: 'P1', quantity: 10, quote: randomUUID() }), 404, 'not_found', 'quote');
    expectError(await t.api('POST', '/api/v1/orders', { code: 'Q-NODATE', product: 'P1', quantity: 10 }), 400, 'validation_failed', 'dueAt');
    expect(await counts()).toEqual(before);
  });
});
