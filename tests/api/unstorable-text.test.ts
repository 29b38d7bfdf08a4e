import { describe, expect, it } from 'vitest';
import { forLog } from '../../server/http/storable-text.ts';
import { expectError } from '../support/errors.ts';
import { ALWAYS_OPEN, createOrder, seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    await createOrder(api, 'U-1', { quantity: 5 });
  },
});

const count = async (table: 'customer_order' | 'event_log' | 'calendar') => (await t.sql<{ n: number }[]>`select count(*)::int as n from ${t.sql(table)}`)[0]!.n;

// PostgreSQL refuses NUL (22021) and unpaired surrogates (22P05): each must be a 400 naming the field.
const unstorable = { nul: 'a\u0000b', 'lone high surrogate': 'a\ud800b', 'lone low surrogate': '\udc00' };

describe.each(Object.entries(unstorable))('text with a %s', (_name, text) => {
  it('on the unauthenticated login is a 400 naming username', async () => {
    expectError(await t.api('POST', '/api/v1/auth/login', { username: text, password: 'x' }, { token: null }), 400, 'validation_failed', 'username');
  });

  it('in a nested body field is a 400 naming it, and nothing is stored', async () => {
    const [orders, log] = [await count('customer_order'), await count('event_log')];
    const body = { code: 'U-2', product: 'P-1', quantity: 1, dueAt: new Date(Date.now() + 86_400_000).toISOString(), customer: text };
    expectError(await t.api('POST', '/api/v1/orders', body), 400, 'validation_failed', 'customer');
    const calendar = { ...ALWAYS_OPEN, exceptions: [{ from: '2026-01-01T00:00', to: '2026-01-02T00:00', working: false, note: text }] };
    expectError(await t.api('PUT', '/api/v1/calendars/U-CAL', calendar), 400, 'validation_failed', 'exceptions.0.note');
    expect([await count('customer_order'), await count('event_log')]).toEqual([orders, log]);
  });

  it('in an object key is a 400 naming the key', async () => {
    const r = await t.api('POST', '/api/v1/orders', { code: 'U-3', [text]: 1 });
    expect(r.status).toBe(400);
  });

});

it('a NUL in a query parameter is a 400 naming it; percent-encoding that is not UTF-8 is no 500', async () => {
  expectError(await t.api('GET', '/api/v1/orders?customer=a%00b'), 400, 'validation_failed', 'customer');
  const r = await t.api('GET', '/api/v1/orders?customer=%ED%A0%80');
  expect(r.status).toBeLessThan(500);
});

it('a NUL in a path parameter is a 400 naming the path, never a 500', async () => {
  for (const path of ['/api/v1/orders/U%00-1', '/api/v1/andon/x%00y', '/api/v1/work-centers/%00', '/api/v1/products/P%00']) {
    expectError(await t.api('GET', path), 400, 'validation_failed', 'path');
  }
  expectError(await t.api('PUT', '/api/v1/calendars/C%00', { timeZone: 'UTC', shifts: [] }), 400, 'validation_failed', 'path');
});

it('a path that is not valid UTF-8 is refused without a 500', async () => {
  const r = await t.api('GET', '/api/v1/orders/%ED%A0%80');
  expect(r.status).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
});

it('log lines escape control characters', () => {
  expect(forLog('/api/v1/orders/a\u0000b\nforged')).toBe('/api/v1/orders/a\\u0000b\\nforged');
});
