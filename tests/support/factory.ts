import { randomUUID } from 'node:crypto';
import type { OrderDetail } from '../../server/contract/orders.ts';
import type { ScheduledOperationView, ScheduleView } from '../../server/contract/schedule.ts';
import type { Sql } from 'postgres';
import type { ApiClient } from './http.ts';

export const ALWAYS_OPEN = {
  name: 'Always open',
  timeZone: 'UTC',
  shifts: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '00:00', end: '00:00' })),
  exceptions: [],
};

/** A small, clock-independent factory: a 24/7 calendar, two work centers, one two-step product. */
export async function seedSmallFactory(api: ApiClient) {
  const put = async (path: string, body: unknown) => {
    const r = await api('PUT', path, body);
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await put('/api/v1/calendars/ALWAYS', ALWAYS_OPEN);
  await put('/api/v1/work-centers/CUT', { name: 'Cutting', line: 'L1', machines: 1, calendar: 'ALWAYS' });
  await put('/api/v1/work-centers/WELD', { name: 'Welding', line: 'L1', machines: 2, calendar: 'ALWAYS' });
  await put('/api/v1/products/P1', {
    name: 'Part one',
    routing: [
      { seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1 },
      { seq: 2, workCenter: 'WELD', setupMinutes: 5, runMinutesPerUnit: 2 },
    ],
  });
}

export async function createOrder(api: ApiClient, code: string, options: { quantity?: number; dueInHours?: number; priority?: number } = {}): Promise<OrderDetail> {
  const r = await api('POST', '/api/v1/orders', {
    code,
    product: 'P1',
    quantity: options.quantity ?? 10,
    dueAt: new Date(Date.now() + (options.dueInHours ?? 48) * 3_600_000).toISOString(),
    priority: options.priority ?? 1,
    customer: 'ACME',
  });
  if (r.status !== 201) throw new Error(`order ${code}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A P1 order run start to finish at the stations (no counts: Complete counts the rest good). */
export async function completedOrder(api: ApiClient, code: string, quantity = 2): Promise<void> {
  await createOrder(api, code, { quantity });
  for (const seq of [1, 2]) {
    for (const type of ['operation.started', 'operation.completed']) {
      const r = await api('POST', '/api/v1/events', { id: randomUUID(), type, order: code, seq, ...(type === 'operation.started' ? { machine: 1 } : {}) });
      if (r.status !== 201) throw new Error(`${code}/${seq} ${type}: ${r.status} ${JSON.stringify(r.body)}`);
    }
  }
}

/** Polls until the order has an ETA computed by the scheduler (the loop is asynchronous by design). */
export async function waitForEta(api: ApiClient, code: string, predicate: (eta: string) => boolean = () => true, timeoutMs = 10_000): Promise<OrderDetail & { eta: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', `/api/v1/orders/${code}`);
    const eta = r.status === 200 ? r.body.eta : null;
    if (eta && predicate(eta)) return { ...r.body, eta };
    if (Date.now() > deadline) throw new Error(`no ETA for ${code} within ${timeoutMs} ms (last: ${JSON.stringify(eta)})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The latest plan once no re-plan is pending: what a planner's screen shows, and a fresh base to commit against. */
export async function settledSchedule(api: ApiClient, timeoutMs = 10_000): Promise<ScheduleView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await api('GET', '/api/v1/health');
    if (health.body.pendingReschedules === 0) {
      const schedule = await api('GET', '/api/v1/schedule');
      if (schedule.status === 200) return schedule.body;
    }
    if (Date.now() > deadline) throw new Error(`re-plans did not settle within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until every planned open order has its P50/P90 and no sampling is queued or running. New
 * orders are sampled at once (scheduler/tasks/eta-spread.ts), and the sampling publishes on its own
 * (eta changes, at-risk notices): a test counting what one request wrote waits this out first.
 */
export async function settledSampling(sql: Sql, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [state] = await sql<{ unsampled: number; queued: number }[]>`
      select (select count(*)::int from order_eta e join customer_order o on o.id = e.order_id
              where o.status = 'open' and e.eta is not null and e.eta_p90 is null) as unsampled,
        (select count(*)::int from graphile_worker.jobs where key like 'eta_spread:%') as queued`;
    if (state?.unsampled === 0 && state.queued === 0) return;
    if (Date.now() > deadline) throw new Error(`sampling did not settle within ${timeoutMs} ms: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Polls the plan until `predicate` holds for it (the loop re-plans asynchronously). */
export async function waitForSchedule(api: ApiClient, predicate: (s: ScheduleView) => boolean, timeoutMs = 10_000): Promise<ScheduleView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await api('GET', '/api/v1/schedule');
    if (r.status === 200 && predicate(r.body)) return r.body;
    if (Date.now() > deadline) throw new Error(`the plan never matched within ${timeoutMs} ms (version ${r.status === 200 ? r.body.version : r.status})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function operationOf(schedule: ScheduleView, order: string, seq: number): ScheduledOperationView {
  const found = schedule.operations.find((o) => o.order === order && o.seq === seq);
  if (!found) throw new Error(`${order}/${seq} is not in plan version ${schedule.version}`);
  return found;
}
