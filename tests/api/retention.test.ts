import { expect, it } from 'vitest';
import { STREAM_CHANNEL } from '../../server/outbox/stream-messages.ts';
import { pruneHistory } from '../../server/retention/prune.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

// A plant of its own, with no floor and no planner: every stream message in it is this test's.
let plantId = 0;
const t = useTestSystem({
  seed: async (api, { sql }) => {
    await seedSmallFactory(api);
    plantId = (await sql<{ id: number }[]>`insert into plant (code, name, time_zone) values ('RET', 'Retention', 'UTC') returning id`)[0]!.id;
  },
});

async function messages(count: number, hoursAgo: number): Promise<number[]> {
  const rows = await t.sql<{ id: string }[]>`
    insert into stream_message (plant_id, topic, cause_id, emitted_at, data)
    select ${plantId}, 'order', null, now() - make_interval(hours => ${hoursAgo}), '{"type":"order.completed","order":"R-1"}'::jsonb
    from generate_series(1, ${count}) returning id`;
  // Written behind the outbox's back: wake the hub as publish() would, so it reads them.
  await t.sql`select pg_notify(${STREAM_CHANNEL}, '')`;
  return rows.map((r) => Number(r.id));
}
const kept = async () => (await t.sql<{ id: string }[]>`select id from stream_message where plant_id = ${plantId} order by id`).map((r) => Number(r.id));

it('prunes stream messages past the window but keeps the newest ones, and old notifications', async () => {
  const old = await messages(30, 30);
  const recent = await messages(10, 1);
  // Notifications point at an alert: one alert, notifications 100 and 10 days old.
  await t.sql`insert into andon (id, plant_id, work_center_code, reason, state, raised_at, raised_by) values ('ret-andon', ${t.plantId}, 'CUT', 'other', 'resolved', now(), 'test')`;
  await t.sql`insert into notification (plant_id, kind, andon_id, level, notify, created_at)
    values (${t.plantId}, 'andon.raised', 'ret-andon', 1, 'lead', now() - interval '100 days'), (${t.plantId}, 'andon.raised', 'ret-andon', 1, 'lead', now() - interval '10 days')`;
  const db = t.system.database.db;
  const result = await pruneHistory(db, new Date(), { streamHours: 24, streamLatest: 15, notificationDays: 90 });
  // Older than 24 hours and not among the newest 15: the first 25 of the 30 old ones go.
  expect(result.streamMessages).toBe(25);
  expect(await kept()).toEqual([...old.slice(25), ...recent]);
  const [mark] = await t.sql<{ pruned_through: string }[]>`select pruned_through from stream_retention where plant_id = ${plantId}`;
  expect(Number(mark!.pruned_through)).toBe(old[24]);
  expect(result.notifications).toBe(1);
  expect((await t.sql`select 1 from notification`).length).toBe(1);

  // Nothing more to prune: the same rule again deletes nothing and keeps the watermark.
  expect((await pruneHistory(db, new Date(), { streamHours: 24, streamLatest: 15, notificationDays: 90 })).streamMessages).toBe(0);
});

it('a client resuming from before the pruned history is told to reload, not replayed around the hole', async () => {
  const [mark] = await t.sql<{ pruned_through: string }[]>`select pruned_through from stream_retention where plant_id = ${plantId}`;
  const behind = t.stream('order', { 'last-event-id': String(Number(mark!.pruned_through) - 3), 'x-takt-plant': 'RET' });
  const current = t.stream('order', { 'last-event-id': String(Number(mark!.pruned_through)), 'x-takt-plant': 'RET' });
  await expect.poll(() => behind.frames.some((f) => f.event === 'reset'), { timeout: 5000 }).toBe(true);
  const reset = JSON.parse(behind.frames.find((f) => f.event === 'reset')!.data!) as { reason: string };
  expect(reset.reason).toBe('history pruned');
  expect(behind.messages.filter((m) => m.topic === 'order')).toEqual([]);
  // From the watermark on, everything still kept is replayed.
  await expect.poll(() => current.messages.length, { timeout: 5000 }).toBe(15);
  expect(current.frames.some((f) => f.event === 'reset')).toBe(false);
  await behind.close();
  await current.close();
});
