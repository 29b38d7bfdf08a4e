import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createToken } from '../../server/auth/tokens.ts';
import { createOrder, seedSmallFactory } from '../support/factory.ts';
import { errorOf } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

// Defects a review found under concurrency and multi-plant use; each test failed before its fix.
const t = useTestSystem({ seed: seedSmallFactory });

describe('review regressions', () => {
  it('an order whose last two operations complete at the same moment is completed', async () => {
    for (let i = 0; i < 12; i++) {
      const code = `RACE-${i}`;
      await createOrder(t.api, code, { quantity: 1 });
      const results = await Promise.all(
        [1, 2].map((seq) => t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.completed', order: code, seq })),
      );
      expect(results.map((r) => r.status)).toEqual([201, 201]);
      const [row] = await t.sql<{ status: string }[]>`select status from customer_order where code = ${code}`;
      expect(row!.status, code).toBe('completed');
    }
  });

  it('an admin of one plant cannot create a token that reaches other plants', async () => {
    await t.sql`insert into plant (code, name, time_zone) values ('ELSEWHERE', 'Elsewhere', 'UTC')`;
    const scoped = await createToken(t.system.database.db, { name: 'plant admin', role: 'admin', kind: 'api', plantIds: [t.plantId] });
    const minted = await t.api('POST', '/api/v1/auth/tokens', { name: 'tv', role: 'display' }, { token: scoped });
    expect(minted.status).toBe(201);
    const me = await t.api('GET', '/api/v1/auth/me', undefined, { token: minted.body.token });
    expect(me.body.plants).toEqual(['TEST']);
    const asked = await t.api('POST', '/api/v1/auth/tokens', { name: 'tv2', role: 'display', plants: ['ELSEWHERE'] }, { token: scoped });
    expect(asked.status).toBe(400);
    expect(errorOf(asked).field).toBe('plants.0');
  });

  it('a client resuming with an id ahead of this server gets nothing twice', async () => {
    await createOrder(t.api, 'AHEAD-0');
    await new Promise((r) => setTimeout(r, 300));
    const { max } = (await t.sql<{ max: number }[]>`select max(id)::int as max from stream_message`)[0]!;
    // The client already saw three more ids on another server whose hub was ahead of this one.
    const lastSeen = max + 3;
    const reader = t.stream('order', { 'last-event-id': String(lastSeen) });
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 1; i <= 5; i++) await createOrder(t.api, `AHEAD-${i}`);
    await reader.waitForTopic('order', (m) => m.data.order === 'AHEAD-5');
    expect(reader.messages.map((m) => m.id).filter((id) => id <= lastSeen)).toEqual([]);
    await reader.close();
  });

  it('a long disconnect replays every missed message in order, across replay pages', async () => {
    const { max } = (await t.sql<{ max: number }[]>`select max(id)::int as max from stream_message`)[0]!;
    await t.sql`insert into stream_message (plant_id, topic, cause_id, data)
      select ${t.plantId}, 'progress', 'bulk-' || g, '{"bulk": true}'::jsonb from generate_series(1, 4500) g`;
    await t.sql`select pg_notify('takt_stream', '')`;
    await new Promise((r) => setTimeout(r, 500));
    const reader = t.stream('progress', { 'last-event-id': String(max) });
    await reader.waitFor((m) => m.cause === 'bulk-4500', 15_000);
    const causes = reader.messages.filter((m) => m.cause?.startsWith('bulk-')).map((m) => m.cause);
    expect(causes).toHaveLength(4500);
    expect(causes[0]).toBe('bulk-1');
    const ids = reader.messages.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    await reader.close();
  });
});
