import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LateStartNotificationView, NotificationView } from '../../server/contract/notifications.ts';
import type { WorkCenterStatus } from '../../server/contract/floor.ts';
import { keepDueStarts } from '../../server/db/repositories/late-starts.ts';
import { checkLateStarts } from '../../server/late-start/task.ts';
import { tellLateStarts } from '../../server/late-start/service.ts';
import { expectError } from '../support/errors.ts';
import { createOrder, operationOf, seedSmallFactory, settledSchedule, waitForSchedule } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** The small factory (CUT x1, WELD x2, 24/7); CUT is told late after 10 minutes, WELD after the default 15. */
const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    const cut = await api('PUT', '/api/v1/work-centers/CUT', { name: 'Cutting', line: 'L1', machines: 1, calendar: 'ALWAYS', lateStartMinutes: 10 });
    expect(cut.status).toBe(200);
  },
});

const db = () => t.system.database.db;
/** The check the worker runs, at a clock the test chooses: what it told. */
const checkAt = (at: number) => db().transaction().execute((trx) => tellLateStarts(trx, t.plantId, new Date(at)));
const lateNotices = async (order: string): Promise<LateStartNotificationView[]> => {
  const r = await t.api<'GET', string, NotificationView[]>('GET', '/api/v1/notifications?audience=floor&limit=1000');
  expect(r.status).toBe(200);
  return r.body.flatMap((n) => (n.kind === 'operation.late_start' && n.order === order ? [n] : []));
};
const floorOf = async (code: string): Promise<WorkCenterStatus> => {
  const r = await t.api<'GET', string, WorkCenterStatus[]>('GET', '/api/v1/floor');
  return r.body.find((w) => w.code === code)!;
};
const pinLater = async (order: string, seq: number, start: number) => {
  const plan = await settledSchedule(t.api);
  const r = await t.api('POST', '/api/v1/pins', { order, seq, machine: 1, start: new Date(start).toISOString(), mode: 'exact', baseVersion: plan.version });
  expect(r.status).toBe(201);
  return await waitForSchedule(t.api, (s) => s.operations.some((o) => o.order === order && o.seq === seq && Date.parse(o.start) === start));
};
const start = (order: string, seq: number) =>
  t.api('POST', '/api/v1/events', { id: randomUUID(), type: 'operation.started', order, seq, machine: 1 });

describe('late-start setting on the work center', () => {
  it('PUT /work-centers takes lateStartMinutes (default 15) and 400 names it when out of range', async () => {
    expect((await t.api('GET', '/api/v1/work-centers/CUT')).body.lateStartMinutes).toBe(10);
    expect((await t.api('GET', '/api/v1/work-centers/WELD')).body.lateStartMinutes).toBe(15);
    const body = { name: 'Cutting', line: 'L1', machines: 1, calendar: 'ALWAYS' };
    expectError(await t.api('PUT', '/api/v1/work-centers/CUT', { ...body, lateStartMinutes: 0 }), 400, 'validation_failed', 'lateStartMinutes');
    expectError(await t.api('PUT', '/api/v1/work-centers/CUT', { ...body, lateStartMinutes: 1441 }), 400, 'validation_failed', 'lateStartMinutes');
    expectError(await t.api('PUT', '/api/v1/work-centers/CUT', { ...body, lateStartMinutes: 2.5 }), 400, 'validation_failed', 'lateStartMinutes');
    expect((await t.api('GET', '/api/v1/work-centers/CUT')).body.lateStartMinutes).toBe(10);
  });
});

describe('late-start alerts (the worker check, on an injected clock)', () => {
  it('fires at exactly planned start + N minutes, not a millisecond before, once; the tile is marked until the operation starts', async () => {
    await createOrder(t.api, 'LS-A', { quantity: 10 });
    const plan = await settledSchedule(t.api);
    const planned = Date.parse(operationOf(plan, 'LS-A', 1).start);

    expect(await checkAt(planned + 10 * MIN - 1)).toEqual([]);
    expect(await lateNotices('LS-A')).toEqual([]);

    const stream = t.stream('notification');
    const told = await checkAt(planned + 10 * MIN);
    const facts = { order: 'LS-A', seq: 1, workCenter: 'CUT', machine: 1, plannedStart: new Date(planned).toISOString(), minutesLate: 10 };
    expect(told).toEqual([facts]);
    const message = await stream.waitForTopic('notification', (m) => m.data.kind === 'operation.late_start');
    await stream.close();
    expect(message.cause).toBe('LS-A/1');
    expect(message.data).toEqual({ ...facts, id: message.data.id, kind: 'operation.late_start', audience: 'floor', createdAt: new Date(planned + 10 * MIN).toISOString(), readAt: null });

    // Once: a minute later, an hour later, nothing more about it. Op 2 waits for op 1: not told on its own.
    expect(await checkAt(planned + 11 * MIN)).toEqual([]);
    expect(await checkAt(planned + 3 * HOUR)).toEqual([]);
    expect(await lateNotices('LS-A')).toEqual([message.data]);

    expect((await floorOf('CUT')).lateStarts).toEqual([{ order: 'LS-A', seq: 1, machine: 1, plannedStart: new Date(planned).toISOString(), minutesLate: 10 }]);
    expect((await floorOf('WELD')).lateStarts).toEqual([]);
    expect((await start('LS-A', 1)).status).toBe(201);
    expect((await floorOf('CUT')).lateStarts).toEqual([]);
  });

  it('a re-plan that moves the start later before it came: no notice at the old minute, one at the new start + N', async () => {
    await createOrder(t.api, 'LS-B', { quantity: 10 });
    const first = Date.parse(operationOf(await settledSchedule(t.api), 'LS-B', 1).start);
    const later = Math.ceil((Date.now() + 5 * HOUR) / MIN) * MIN;
    await pinLater('LS-B', 1, later);

    expect((await checkAt(first + 10 * MIN)).filter((n) => n.order === 'LS-B')).toEqual([]);
    expect((await checkAt(later + 10 * MIN - 1)).filter((n) => n.order === 'LS-B')).toEqual([]);
    expect((await checkAt(later + 10 * MIN)).filter((n) => n.order === 'LS-B')).toEqual([
      { order: 'LS-B', seq: 1, workCenter: 'CUT', machine: 1, plannedStart: new Date(later).toISOString(), minutesLate: 10 },
    ]);

    // Told once: a re-plan moving it later still does not tell it again when the new start passes.
    const again = later + 2 * HOUR;
    await pinLater('LS-B', 1, again);
    expect((await checkAt(again + 30 * MIN)).filter((n) => n.order === 'LS-B')).toEqual([]);
    expect(await lateNotices('LS-B')).toHaveLength(1);
  });

  it('a start the plan moved later on purpose is not late: the count restarts from the start the plan gives it', async () => {
    await createOrder(t.api, 'LS-C', { quantity: 10 });
    const planned = Date.parse(operationOf(await settledSchedule(t.api), 'LS-C', 1).start);
    // The next plan, two minutes after the start came, keeps it (as scheduler/tasks/save-plan.ts does)...
    await db().transaction().execute((trx) => keepDueStarts(trx, t.plantId, new Date(planned + 2 * MIN)));
    // ...and then a planner pins it an hour on: the floor is not late, the plan wants it later.
    const pinned = Math.ceil((planned + HOUR) / MIN) * MIN;
    await pinLater('LS-C', 1, pinned);
    expect((await checkAt(planned + 10 * MIN)).filter((n) => n.order === 'LS-C')).toEqual([]);
    expect((await checkAt(pinned + 10 * MIN - 1)).filter((n) => n.order === 'LS-C')).toEqual([]);
    expect((await checkAt(pinned + 10 * MIN)).filter((n) => n.order === 'LS-C')).toEqual([
      { order: 'LS-C', seq: 1, workCenter: 'CUT', machine: 1, plannedStart: new Date(pinned).toISOString(), minutesLate: 10 },
    ]);
  });

  it('an open quality hold on the operation explains the wait: nothing told; released, the count restarts from the new plan', async () => {
    await createOrder(t.api, 'LS-D', { quantity: 10 });
    const planned = Date.parse(operationOf(await settledSchedule(t.api), 'LS-D', 1).start);
    await db().transaction().execute((trx) => keepDueStarts(trx, t.plantId, new Date(planned + MIN)));
    const andonId = randomUUID();
    expect((await t.api('POST', '/api/v1/andon', { id: andonId, workCenter: 'CUT', reason: 'quality', order: 'LS-D', seq: 1 })).status).toBe(201);
    expect((await checkAt(planned + 30 * MIN)).filter((n) => n.order === 'LS-D')).toEqual([]);
    // The kept start is forgotten while the hold explains the wait.
    expect((await t.sql`select 1 from late_start ls join customer_order o on o.id = ls.order_id where o.code = 'LS-D'`).length).toBe(0);
    expect((await t.api('POST', `/api/v1/andon/${andonId}/resolve`, {})).status).toBe(200);
    const replanned = Date.parse(operationOf(await settledSchedule(t.api), 'LS-D', 1).start);
    expect((await checkAt(replanned + 10 * MIN - 1)).filter((n) => n.order === 'LS-D')).toEqual([]);
    expect((await checkAt(replanned + 10 * MIN)).map((n) => n.order)).toContain('LS-D');
  });

  it('the worker task sets the plant timer to the next due minute', async () => {
    const now = Date.now();
    await checkLateStarts(db(), t.plantId, new Date(now));
    const [timer] = await t.sql<{ run_at: Date }[]>`select run_at from graphile_worker.jobs where key = ${`late_starts:${t.plantId}`}`;
    const due = await t.sql<{ due: Date }[]>`
      select min(coalesce(ls.planned_start_at, pl.start_at) + make_interval(mins => wc.late_start_minutes)) as due
      from operation op
      join customer_order o on o.id = op.order_id and o.status = 'open'
      join work_center wc on wc.plant_id = op.plant_id and wc.code = op.work_center_code
      left join late_start ls on ls.order_id = op.order_id and ls.seq = op.seq
      left join planned_operation pl on pl.version_id = (select max(id) from schedule_version) and pl.order_id = op.order_id and pl.seq = op.seq
      where op.status = 'pending' and ls.told_at is null
        and coalesce(ls.planned_start_at, pl.start_at) + make_interval(mins => wc.late_start_minutes) > ${new Date(now)}`;
    expect(timer!.run_at.getTime()).toBe(due[0]!.due.getTime());
  });
});
