import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { KpisView } from '../../server/contract/kpis.ts';
import type { ScreenHeartbeatView } from '../../server/contract/screens.ts';
import { pruneHistory } from '../../server/retention/prune.ts';
import { ALWAYS_OPEN } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

/**
 * A small history with chosen instants, in a plant at UTC+8 so plant days and UTC days differ.
 * Orders are completed through the event log (floor events carry `at`); andons go through their
 * lifecycle in the API, which records the present, so their instants are then moved to the chosen
 * ones; ETA history and past minutes of screen latency are rows as the scheduler and
 * POST /screens/heartbeat leave them.
 */
const TZ = '+08:00';
const at = (local: string) => new Date(`${local}${TZ}`).toISOString();
const FROM = at('2026-03-02T00:00:00');
const TO = at('2026-03-05T00:00:00');

let managerToken: string;

const t = useTestSystem({
  seed: async (api) => {
    const put = async (path: string, body: unknown) => expect((await api('PUT', path, body)).status, path).toBe(200);
    await put('/api/v1/plants/TEST', { name: 'Test plant', timeZone: 'Asia/Shanghai' });
    await put('/api/v1/calendars/ALWAYS', ALWAYS_OPEN);
    await put('/api/v1/work-centers/KCUT', { name: 'Cutting', line: 'L1', machines: 4, calendar: 'ALWAYS' });
    await put('/api/v1/products/KP', { name: 'One step', routing: [{ seq: 1, workCenter: 'KCUT', setupMinutes: 0, runMinutesPerUnit: 1 }] });
    managerToken = (await api('POST', '/api/v1/auth/tokens', { name: 'manager', role: 'manager' })).body.token;
  },
});

async function completedOrder(code: string, due: string, completed: string) {
  const created = await t.api('POST', '/api/v1/orders', { code, product: 'KP', quantity: 1, dueAt: at(due) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const done = new Date(at(completed));
  const started = new Date(done.getTime() - 5 * 60_000).toISOString();
  for (const [type, when, extra] of [
    ['operation.started', started, {}],
    ['operation.completed', done.toISOString(), { quantityGood: 1 }],
  ] as const) {
    const r = await t.api('POST', '/api/v1/events', { id: randomUUID(), type, order: code, seq: 1, at: when, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}

async function etaHistory(code: string, rows: { at: string; eta: string }[]) {
  for (const row of rows) {
    await t.sql`
      insert into order_eta_history (order_id, version_id, eta, at)
      select id, 0, ${at(row.eta)}, ${at(row.at)} from customer_order where code = ${code}`;
  }
}

async function andon(reason: string, raised: string, steps: { ack?: number; resolve?: number; cancel?: boolean } = {}) {
  const id = randomUUID();
  expect((await t.api('POST', '/api/v1/andon', { id, workCenter: 'KCUT', reason })).status).toBe(201);
  if (steps.ack !== undefined) expect((await t.api('POST', `/api/v1/andon/${id}/acknowledge`, {})).status).toBe(200);
  if (steps.resolve !== undefined) expect((await t.api('POST', `/api/v1/andon/${id}/resolve`, { rootCause: 'fixed' })).status).toBe(200);
  if (steps.cancel) expect((await t.api('POST', `/api/v1/andon/${id}/cancel`, {})).status).toBe(200);
  const raisedAt = new Date(at(raised));
  const plus = (minutes: number | undefined) => (minutes === undefined ? null : new Date(raisedAt.getTime() + minutes * 60_000));
  await t.sql`
    update andon set raised_at = ${raisedAt}, acknowledged_at = ${plus(steps.ack)}, resolved_at = ${plus(steps.resolve)},
      cancelled_at = case when cancelled_at is null then null else ${raisedAt} end
    where id = ${id}`;
}

async function latencyMinute(screen: string, kind: string, minute: string, samples: number, p50: number | null, p95: number | null, newest: string | null) {
  const m = new Date(minute);
  await t.sql`
    insert into screen_latency (plant_id, screen, kind, minute, samples, p50_ms, p95_ms, newest_message_at, reported_at)
    values (${t.plantId}, ${screen}, ${kind}, ${m}, ${samples}, ${p50}, ${p95}, ${newest ? new Date(newest) : null}, ${new Date(m.getTime() + 30_000)})`;
}

async function figures(query: string, token = managerToken) {
  return t.api<string, string, KpisView>('GET', `/api/v1/kpis${query}`, undefined, { token });
}

beforeAll(async () => {
  // Completed in the period (plant days 2026-03-02 .. 03-04), and one either side of it.
  await completedOrder('K1', '2026-03-02T18:00:00', '2026-03-02T10:00:00'); // on time
  await completedOrder('K2', '2026-03-02T09:00:00', '2026-03-02T12:00:00'); // late
  await completedOrder('K3', '2026-03-03T12:00:00', '2026-03-03T12:00:00'); // on time, exactly at its due date
  await completedOrder('K4', '2026-03-05T00:00:00', '2026-03-04T23:59:00'); // on time
  await completedOrder('K7', '2026-03-01T12:00:00', '2026-03-02T00:00:00'); // late, exactly at `from`
  await completedOrder('K5', '2026-03-09T00:00:00', '2026-03-01T23:59:59'); // before `from`
  await completedOrder('K6', '2026-03-09T00:00:00', '2026-03-05T00:00:00'); // exactly at `to`: outside

  // What the plan said: the last ETA before the completion day's midnight counts.
  await etaHistory('K1', [
    { at: '2026-03-01T10:00:00', eta: '2026-03-02T15:00:00' },
    { at: '2026-03-01T20:00:00', eta: '2026-03-02T10:45:00' }, // held to this: 45 min early, within 60
    { at: '2026-03-02T08:00:00', eta: '2026-03-02T10:00:00' }, // during the day: too late to count
  ]);
  await etaHistory('K2', [{ at: '2026-03-01T23:00:00', eta: '2026-03-02T10:30:00' }]); // 90 min late: missed
  // First planned on its completion day: its first ETA of the day (60 min late: still within).
  await etaHistory('K3', [
    { at: '2026-03-03T07:00:00', eta: '2026-03-03T11:00:00' },
    { at: '2026-03-03T09:00:00', eta: '2026-03-03T12:00:00' },
  ]);
  await etaHistory('K7', [{ at: '2026-03-01T23:00:00', eta: '2026-03-02T01:00:00' }]); // 60 min early: within
  // K4 never had an ETA: not counted in plan adherence.

  await andon('material', '2026-03-02T08:00:00', { ack: 4, resolve: 30 });
  await andon('material', '2026-03-02T09:00:00', { ack: 6, resolve: 50 });
  await andon('material', '2026-03-03T10:00:00', { ack: 2 });
  await andon('quality', '2026-03-02T00:00:00', { ack: 10, resolve: 70 });
  await andon('quality', '2026-03-04T11:00:00');
  await andon('other', '2026-03-04T12:00:00', { ack: 3, resolve: 9 });
  await andon('other', '2026-03-02T13:00:00', { cancel: true }); // a mistake: left out
  await andon('material', '2026-03-01T23:59:00', { ack: 1, resolve: 2 }); // before `from`

  await latencyMinute('board/ALL', 'board', '2026-03-02T00:00:00Z', 10, 100, 400, '2026-03-02T00:00:50Z');
  await latencyMinute('board/ALL', 'board', '2026-03-02T00:01:00Z', 30, 200, 300, '2026-03-02T00:01:55Z');
  await latencyMinute('board/ALL', 'board', '2026-03-02T00:02:00Z', 0, null, null, '2026-03-02T00:01:55Z');
  await latencyMinute('board/ALL', 'board', '2026-03-02T00:03:00Z', 60, 150, 900, '2026-03-02T00:03:40Z');
  await latencyMinute('board/ALL', 'board', '2026-03-02T01:00:00Z', 100, 5, 5, '2026-03-02T01:00:30Z'); // at `to`
  await latencyMinute('station/KCUT', 'station', '2026-03-02T00:01:00Z', 5, 40, 80, '2026-03-02T00:01:10Z');
});

describe('GET /kpis', () => {
  it('computes every delivery and andon figure of the period as defined', async () => {
    const r = await figures(`?from=${FROM}&to=${TO}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(KpisView.safeParse(r.body).success).toBe(true);
    const k = r.body;
    expect(k).toMatchObject({ from: FROM, to: TO, timeZone: 'Asia/Shanghai' });
    expect(k.onTimeDelivery).toEqual({
      completed: 5,
      onTime: 3,
      share: 0.6,
      daily: [
        { day: '2026-03-02', completed: 3, onTime: 1, share: 1 / 3 },
        { day: '2026-03-03', completed: 1, onTime: 1, share: 1 },
        { day: '2026-03-04', completed: 1, onTime: 1, share: 1 },
      ],
    });
    expect(k.planAdherence).toEqual({ toleranceMinutes: 60, planned: 4, adhered: 3, share: 0.75 });
    expect(k.andon).toEqual({
      count: 6,
      acknowledged: 5,
      resolved: 4,
      meanMinutesToAcknowledge: 5, // (4 + 6 + 2 + 10 + 3) / 5
      meanMinutesToResolve: 39.75, // (30 + 50 + 70 + 9) / 4
      pareto: [
        { reason: 'material', count: 3, share: 0.5, cumulativeShare: 0.5, meanMinutesToAcknowledge: 4, meanMinutesToResolve: 40 },
        { reason: 'quality', count: 2, share: 2 / 6, cumulativeShare: 5 / 6, meanMinutesToAcknowledge: 10, meanMinutesToResolve: 70 },
        { reason: 'other', count: 1, share: 1 / 6, cumulativeShare: 1, meanMinutesToAcknowledge: 3, meanMinutesToResolve: 9 },
      ],
    });
    // Nothing reported latency in March's first days but the two screens of the next test's hour.
    expect(k.screens.map((s) => s.screen)).toEqual(['board/ALL', 'station/KCUT']);
  });

  it('counts a period boundary once: [from, to) on plant days', async () => {
    // One plant day, 2026-03-02: K7 at its first instant, K1 and K2; nothing of 03-01 or 03-03.
    const r = await figures(`?from=${FROM}&to=${at('2026-03-03T00:00:00')}`);
    expect(r.body.onTimeDelivery).toEqual({ completed: 3, onTime: 1, share: 1 / 3, daily: [{ day: '2026-03-02', completed: 3, onTime: 1, share: 1 / 3 }] });
    expect(r.body.andon.count).toBe(3);
    // A period cutting plant days in two lists both, each with its part.
    const split = await figures(`?from=${at('2026-03-02T11:00:00')}&to=${at('2026-03-03T12:00:01')}`);
    expect(split.body.onTimeDelivery.daily).toEqual([
      { day: '2026-03-02', completed: 1, onTime: 0, share: 0 },
      { day: '2026-03-03', completed: 1, onTime: 1, share: 1 },
    ]);
    // An empty period: every day listed, no share.
    const empty = await figures(`?from=${at('2026-02-01T00:00:00')}&to=${at('2026-02-03T00:00:00')}`);
    expect(empty.body.onTimeDelivery).toEqual({
      completed: 0,
      onTime: 0,
      share: null,
      daily: [
        { day: '2026-02-01', completed: 0, onTime: 0, share: null },
        { day: '2026-02-02', completed: 0, onTime: 0, share: null },
      ],
    });
    expect(empty.body.planAdherence).toEqual({ toleranceMinutes: 60, planned: 0, adhered: 0, share: null });
    expect(empty.body.andon).toEqual({ count: 0, acknowledged: 0, resolved: 0, meanMinutesToAcknowledge: null, meanMinutesToResolve: null, pareto: [] });
    expect(empty.body.screens).toEqual([]);
  });

  it('sync latency per screen: samples-weighted percentiles of the minutes, data age from the newest message', async () => {
    const r = await figures('?from=2026-03-02T00:00:00Z&to=2026-03-02T01:00:00Z');
    const computedAt = Date.parse(r.body.computedAt);
    expect(r.body.screens).toEqual([
      {
        screen: 'board/ALL',
        kind: 'board',
        samples: 100,
        latencyP50Ms: 150, // p50s by value: 100 (10 samples), 150 (60): half of 100 reached at 150
        latencyP95Ms: 900, // p95s: 300 (30), 400 (10), 900 (60): 95 reached at 900
        lastHeartbeatAt: '2026-03-02T00:03:30.000Z',
        newestMessageAt: '2026-03-02T00:03:40.000Z',
        dataAgeSeconds: (computedAt - Date.parse('2026-03-02T00:03:40Z')) / 1000,
      },
      {
        screen: 'station/KCUT',
        kind: 'station',
        samples: 5,
        latencyP50Ms: 40,
        latencyP95Ms: 80,
        lastHeartbeatAt: '2026-03-02T00:01:30.000Z',
        newestMessageAt: '2026-03-02T00:01:10.000Z',
        dataAgeSeconds: (computedAt - Date.parse('2026-03-02T00:01:10Z')) / 1000,
      },
    ]);
  });

  it('defaults to the 7 days up to now', async () => {
    const before = Date.now();
    const r = await figures('');
    expect(r.status).toBe(200);
    const to = Date.parse(r.body.to);
    expect(to).toBeGreaterThanOrEqual(before - 1);
    expect(to - Date.parse(r.body.from)).toBe(7 * 86_400_000);
    expect(r.body.computedAt).toBe(r.body.to);
  });

  it('400 naming the field for bad dates, from >= to and a period too long', async () => {
    expectError(await figures(`?from=yesterday&to=${TO}`), 400, 'validation_failed', 'from');
    expectError(await figures(`?from=${FROM}&to=2026-13-01T00:00:00Z`), 400, 'validation_failed', 'to');
    expectError(await figures(`?from=${TO}&to=${TO}`), 400, 'validation_failed', 'from');
    expectError(await figures(`?from=${TO}&to=${FROM}`), 400, 'validation_failed', 'from');
    expectError(await figures('?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z'), 400, 'validation_failed', 'from');
    // Only `to`, in the past of its default `from`... there is none: from defaults to 7 days before it.
    expect((await figures(`?to=${TO}`)).status).toBe(200);
  });

  it('is the manager\'s (and admin\'s): others get 403', async () => {
    for (const role of ['planner', 'sales', 'lead', 'worker', 'display', 'purchasing', 'warehouse', 'qc'] as const) {
      const token = (await t.api('POST', '/api/v1/auth/tokens', { name: `kpi ${role}`, role })).body.token;
      expectError(await figures('', token), 403, 'forbidden');
    }
    expect((await t.api('GET', '/api/v1/kpis')).status).toBe(200);
  });
});

describe("the stream's own timestamp", () => {
  it('emittedAt is the commit instant, not the start of the transaction that published it', async () => {
    const message = JSON.stringify([{ topic: 'order', cause: 'commit-instant', data: { type: 'order.completed', order: 'K1' } }]);
    const started = await t.sql.begin(async (trx) => {
      const [row] = await trx<{ now: Date }[]>`select now()`;
      await trx`insert into stream_outbox (plant_id, messages) values (${t.plantId}, ${message}::text::jsonb)`;
      await trx`select pg_sleep(0.3)`;
      return row!.now;
    });
    const [row] = await t.sql<{ emitted_at: Date }[]>`select emitted_at from stream_message where cause_id = 'commit-instant'`;
    // A screen's latency runs from when the message could be seen, which is the commit.
    expect(row!.emitted_at.getTime() - started.getTime()).toBeGreaterThanOrEqual(300);
  });
});

describe('POST /screens/heartbeat', () => {
  const beat = (body: Record<string, unknown>, token?: string) => t.api<string, string, ScreenHeartbeatView>('POST', '/api/v1/screens/heartbeat', body, { token });

  it('stores beats per screen and minute, merging those of one minute, and answers the server time', async () => {
    // Both beats in one minute: start early in a minute.
    while (new Date().getUTCSeconds() > 45) await new Promise((r) => setTimeout(r, 500));
    const displayToken = (await t.api('POST', '/api/v1/auth/tokens', { name: 'tv', role: 'display' })).body.token;
    const before = Date.now();
    const first = await beat({ screen: 'board/LIVE', kind: 'board', samples: 10, latencyP50Ms: 100, latencyP95Ms: 300, newestMessageAt: '2026-12-01T00:00:00.000Z' }, displayToken);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(Date.parse(first.body.serverTime)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(first.body.serverTime)).toBeLessThanOrEqual(Date.now() + 1);
    const second = await beat({ screen: 'board/LIVE', kind: 'board', samples: 30, latencyP50Ms: 200, latencyP95Ms: 250, newestMessageAt: '2026-12-01T00:00:05.000Z' }, displayToken);
    expect(second.status).toBe(200);
    const quiet = await beat({ screen: 'board/QUIET', kind: 'board', samples: 0, latencyP50Ms: null, latencyP95Ms: null, newestMessageAt: null }, displayToken);
    expect(quiet.status).toBe(200);
    const rows = await t.sql<{ screen: string; samples: number; p50_ms: number | null; p95_ms: number | null; newest: string | null }[]>`
      select screen, samples, p50_ms, p95_ms, to_char(newest_message_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as newest
      from screen_latency where screen in ('board/LIVE', 'board/QUIET') order by screen`;
    expect(rows).toEqual([
      { screen: 'board/LIVE', samples: 40, p50_ms: 175, p95_ms: 300, newest: '2026-12-01T00:00:05' }, // (100*10 + 200*30) / 40
      { screen: 'board/QUIET', samples: 0, p50_ms: null, p95_ms: null, newest: null },
    ]);
    const now = Date.now();
    const k = await figures(`?from=${new Date(now - 600_000).toISOString()}&to=${new Date(now + 600_000).toISOString()}`);
    expect(k.body.screens.find((s) => s.screen === 'board/LIVE')).toMatchObject({ kind: 'board', samples: 40, latencyP50Ms: 175, latencyP95Ms: 300 });
    expect(k.body.screens.find((s) => s.screen === 'board/QUIET')).toMatchObject({ samples: 0, latencyP50Ms: null, latencyP95Ms: null, newestMessageAt: null, dataAgeSeconds: null });
  });

  it('400 naming the field', async () => {
    const ok = { screen: 'board/X', kind: 'board', samples: 3, latencyP50Ms: 10, latencyP95Ms: 20, newestMessageAt: null };
    expectError(await beat({ ...ok, kind: 'fridge' }), 400, 'validation_failed', 'kind');
    expectError(await beat({ ...ok, screen: '' }), 400, 'validation_failed', 'screen');
    expectError(await beat({ ...ok, samples: -1 }), 400, 'validation_failed', 'samples');
    expectError(await beat({ ...ok, samples: 1.5 }), 400, 'validation_failed', 'samples');
    expectError(await beat({ ...ok, latencyP50Ms: -5 }), 400, 'validation_failed', 'latencyP50Ms');
    expectError(await beat({ ...ok, samples: 0 }), 400, 'validation_failed', 'latencyP50Ms');
    expectError(await beat({ ...ok, latencyP50Ms: null }), 400, 'validation_failed', 'latencyP50Ms');
    expectError(await beat({ ...ok, latencyP95Ms: 5 }), 400, 'validation_failed', 'latencyP95Ms');
    expectError(await beat({ ...ok, newestMessageAt: 'now' }), 400, 'validation_failed', 'newestMessageAt');
    expect((await t.sql`select 1 from screen_latency where screen = 'board/X'`).length).toBe(0);
  });

  it('the retention job drops minutes older than 90 days', async () => {
    await latencyMinute('board/OLD', 'board', new Date(Date.now() - 91 * 86_400_000).toISOString(), 1, 1, 1, null);
    const result = await pruneHistory(t.system.database.db, new Date());
    expect(result.screenLatencyMinutes).toBeGreaterThanOrEqual(1);
    expect((await t.sql`select 1 from screen_latency where screen = 'board/OLD'`).length).toBe(0);
    // March's minutes are older than 90 days too by now; the figures above were read before.
  });
});
