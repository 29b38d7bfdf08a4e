import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PinUndoView, PinView, StaleBaseDetails } from '../../server/contract/plan.ts';
import { expectError } from '../support/errors.ts';
import { ALWAYS_OPEN, createOrder, operationOf, seedSmallFactory, settledSchedule, waitForEta, waitForSchedule } from '../support/factory.ts';
import { errorOf } from '../support/http.ts';
import { useTestSystem } from '../support/system.ts';

const HOUR = 3_600_000;

const DAY = 24 * HOUR;
/** Tomorrow (UTC) is a holiday on the OVEN's calendar. */
const tomorrow = new Date(Math.floor(Date.now() / DAY) * DAY + DAY);
const localDate = (d: Date) => d.toISOString().slice(0, 10);

/** The small factory (CUT x1, WELD x2, 24/7) plus PACK, a work center only product P2 uses, and OVEN (P3), closed tomorrow. */
const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    expect((await api('PUT', '/api/v1/work-centers/PACK', { name: 'Packing', line: 'L2', machines: 1, calendar: 'ALWAYS' })).status).toBe(200);
    expect((await api('PUT', '/api/v1/products/P2', { name: 'Packed', routing: [{ seq: 1, workCenter: 'PACK', setupMinutes: 0, runMinutesPerUnit: 1 }] })).status).toBe(200);
    const holiday = { from: `${localDate(tomorrow)}T00:00`, to: `${localDate(new Date(tomorrow.getTime() + DAY))}T00:00`, working: false, note: 'holiday' };
    expect((await api('PUT', '/api/v1/calendars/HOLIDAY', { ...ALWAYS_OPEN, name: 'Closed tomorrow', exceptions: [holiday] })).status).toBe(200);
    expect((await api('PUT', '/api/v1/work-centers/OVEN', { name: 'Oven', line: 'L2', machines: 2, calendar: 'HOLIDAY' })).status).toBe(200);
    const p3 = [{ seq: 1, workCenter: 'PACK', setupMinutes: 0, runMinutesPerUnit: 1 }, { seq: 2, workCenter: 'OVEN', setupMinutes: 0, runMinutesPerUnit: 1 }];
    expect((await api('PUT', '/api/v1/products/P3', { name: 'Baked', routing: p3 })).status).toBe(200);
  },
});

const pin = (body: unknown) => t.api<'POST', '/api/v1/pins', PinView>('POST', '/api/v1/pins', body);
const at = (hoursFromNow: number) => new Date(Math.ceil((Date.now() + hoursFromNow * HOUR) / 60_000) * 60_000).toISOString();
const counts = async () =>
  (await t.sql<{ n: number }[]>`select (select count(*) from plan_pin)::int + (select count(*) from event_log where type like 'pin.%')::int * 1000 as n`)[0]!.n;
const pinMessages = async (id: string) =>
  (await t.sql<{ type: string; state: string; note: string | null }[]>`
    select data->>'type' as type, data->'pin'->>'state' as state, data->'pin'->>'note' as note
    from stream_message where topic = 'pin' and data->'pin'->>'id' = ${id} order by id`);

async function orderPlanned(code: string, product = 'P1') {
  if (product === 'P1') await createOrder(t.api, code, { quantity: 10 });
  else expect((await t.api('POST', '/api/v1/orders', { code, product, quantity: 10, dueAt: at(48) })).status).toBe(201);
  await waitForEta(t.api, code);
  return settledSchedule(t.api);
}

describe('POST /pins', () => {
  it('an exact pin puts the operation on its machine at its start in the next plan, shown pinned, logged and announced', async () => {
    const base = await orderPlanned('PN-EXACT');
    const now = operationOf(base, 'PN-EXACT', 2);
    const machine = now.machine === 1 ? 2 : 1;
    const start = at(30);
    const r = await pin({ order: 'PN-EXACT', seq: 2, machine, start, mode: 'exact', baseVersion: base.version });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ order: 'PN-EXACT', seq: 2, workCenter: 'WELD', machine, start, mode: 'exact', state: 'active', note: null, baseVersion: base.version, createdBy: expect.any(String), removedAt: null });
    const next = await waitForSchedule(t.api, (s) => s.version > base.version && operationOf(s, 'PN-EXACT', 2).pinned);
    expect(operationOf(next, 'PN-EXACT', 2)).toMatchObject({ machine, start, pinned: true });
    const [log] = await t.sql<{ actor: string; subject: string }[]>`select actor, subject from event_log where type = 'pin.created' and payload->>'pin' = ${r.body.id}`;
    expect(log).toMatchObject({ subject: 'PN-EXACT/2' });
    expect((await pinMessages(r.body.id)).map((m) => m.type)).toContain('pin.created');
  });

  it('a queue pin keeps the machine and lets the engine choose the start', async () => {
    const base = await orderPlanned('PN-QUEUE');
    const machine = operationOf(base, 'PN-QUEUE', 2).machine === 1 ? 2 : 1;
    const r = await pin({ order: 'PN-QUEUE', seq: 2, machine, start: at(20), mode: 'queue', baseVersion: base.version });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const next = await waitForSchedule(t.api, (s) => operationOf(s, 'PN-QUEUE', 2).pinned);
    expect(operationOf(next, 'PN-QUEUE', 2).machine).toBe(machine);
    // Queued at +20 h on an otherwise quiet machine: it runs as soon as its cutting is done.
    expect(Date.parse(operationOf(next, 'PN-QUEUE', 2).start)).toBeLessThan(Date.parse(at(20)));
  });

  it('stale base: 409 naming what changed on the target machine; an unrelated change is accepted', async () => {
    const base = await orderPlanned('PN-STALE-A');
    await orderPlanned('PN-STALE-B');
    const v1 = (await settledSchedule(t.api)).version;
    // Another planner puts B on WELD/2 far ahead: WELD/2 changes between v1 and the next plan.
    const other = await pin({ order: 'PN-STALE-B', seq: 2, machine: 2, start: at(60), mode: 'exact', baseVersion: v1 });
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const v2 = await waitForSchedule(t.api, (s) => operationOf(s, 'PN-STALE-B', 2).pinned);
    const stale = await pin({ order: 'PN-STALE-A', seq: 2, machine: 2, start: at(70), mode: 'exact', baseVersion: v1 });
    expectError(stale, 409, 'stale_base', 'baseVersion');
    const details = errorOf(stale).details as StaleBaseDetails;
    expect(details).toMatchObject({ baseVersion: v1, currentVersion: (await settledSchedule(t.api)).version });
    expect(details.changed).toContainEqual(expect.objectContaining({ order: 'PN-STALE-B', seq: 2, machine: 2, start: operationOf(v2, 'PN-STALE-B', 2).start }));
    expect(base.version).toBeLessThan(details.currentVersion);

    // Only PACK changes with a P2 order: a move on WELD against the older base is still fine.
    const v3 = (await settledSchedule(t.api)).version;
    await orderPlanned('PN-PACKED', 'P2');
    const accepted = await pin({ order: 'PN-STALE-A', seq: 2, machine: 1, start: at(70), mode: 'exact', baseVersion: v3 });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(201);
  });

  it('a colleague\'s pin on the operation made after the plan this one saw: 409 naming it, never silently replaced', async () => {
    const base = await orderPlanned('PN-COLLEAGUE');
    const token = async (name: string) => ((await t.api('POST', '/api/v1/auth/tokens', { name, role: 'planner' })).body as { token: string }).token;
    const [ana, bo] = [await token('planner Ana'), await token('planner Bo')];
    const move = (machine: number, baseVersion: number, who: string) =>
      t.api<'POST', '/api/v1/pins', PinView>('POST', '/api/v1/pins', { order: 'PN-COLLEAGUE', seq: 2, machine, mode: 'queue', start: at(5), baseVersion }, { token: who });
    const first = await move(1, base.version, ana);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // Bo looked at the same plan, before Ana's pin reached it.
    const second = await move(2, base.version, bo);
    expectError(second, 409, 'stale_base', 'baseVersion');
    expect(errorOf(second).message).toContain('planner Ana');
    expect((errorOf(second).details as StaleBaseDetails).changed).toEqual([expect.objectContaining({ order: 'PN-COLLEAGUE', seq: 2, machine: 1 })]);
    // Ana may change her own mind on the same base; Bo, once he has seen the plan with her pin, may move it.
    expect((await move(2, base.version, ana)).status).toBe(201);
    const seen = await waitForSchedule(t.api, (s) => operationOf(s, 'PN-COLLEAGUE', 2).pinned && operationOf(s, 'PN-COLLEAGUE', 2).machine === 2);
    const third = await move(1, seen.version, bo);
    expect(third.status, JSON.stringify(third.body)).toBe(201);
  });

  it('a base version the plant no longer keeps is stale', async () => {
    const base = await orderPlanned('PN-PRUNED');
    await t.sql`delete from schedule_version where id = (select min(id) from schedule_version)`;
    const oldest = (await t.sql<{ id: string }[]>`select min(id)::text as id from schedule_version`)[0]!.id;
    const r = await pin({ order: 'PN-PRUNED', seq: 2, machine: 1, mode: 'queue', baseVersion: Number(oldest) - 1 });
    expectError(r, 409, 'stale_base', 'baseVersion');
    expect(base.version).toBeGreaterThan(0);
  });

  it('names the field of bad input: ineligible machine 400, exact without start 400, unknown order/seq 404', async () => {
    const { version } = await orderPlanned('PN-BAD');
    expectError(await pin({ order: 'PN-BAD', seq: 2, machine: 3, mode: 'queue', baseVersion: version }), 400, 'validation_failed', 'machine');
    expectError(await pin({ order: 'PN-BAD', seq: 2, machine: 1, mode: 'exact', baseVersion: version }), 400, 'validation_failed', 'start');
    expectError(await pin({ order: 'NOPE', seq: 2, mode: 'queue', baseVersion: version }), 404, 'not_found', 'order');
    expectError(await pin({ order: 'PN-BAD', seq: 9, mode: 'queue', baseVersion: version }), 404, 'not_found', 'seq');
    expectError(await pin({ order: 'PN-BAD', seq: 2, mode: 'sideways', baseVersion: version }), 400, 'validation_failed', 'mode');
    expectError(await pin({ order: 'PN-BAD', seq: 2, mode: 'queue' }), 400, 'validation_failed', 'baseVersion');
    expectError(await pin({ order: 'PN-BAD', seq: 2, mode: 'exact', start: 'tomorrow', baseVersion: version }), 400, 'validation_failed', 'start');
    const batch = await t.api('POST', '/api/v1/pins/batch', { moves: [{ order: 'PN-BAD', seq: 2, machine: 3, mode: 'queue' }], baseVersion: version });
    expectError(batch, 400, 'validation_failed', 'moves.0.machine');
    expect((await t.sql<{ n: number }[]>`select count(*)::int as n from plan_pin p join customer_order o on o.id = p.order_id where o.code = 'PN-BAD'`)[0]!.n).toBe(0);
  });

  it('a running or completed operation cannot be pinned: 409', async () => {
    const { version } = await orderPlanned('PN-FLOOR');
    const event = (type: string, extra = {}) => t.api('POST', '/api/v1/events', { id: randomUUID(), type, order: 'PN-FLOOR', seq: 1, machine: 1, ...extra });
    expect((await event('operation.started')).status).toBe(201);
    const running = await pin({ order: 'PN-FLOOR', seq: 1, machine: 1, mode: 'queue', baseVersion: version });
    expectError(running, 409, 'invalid_state', 'seq');
    expect(errorOf(running).message).toMatch(/running/);
    expect((await event('operation.completed', { quantityGood: 10 })).status).toBe(201);
    const completed = await pin({ order: 'PN-FLOOR', seq: 1, machine: 1, mode: 'queue', baseVersion: (await settledSchedule(t.api)).version });
    expectError(completed, 409, 'invalid_state', 'seq');
    expect(errorOf(completed).message).toMatch(/completed/);
  });

  it('a batch is all or nothing', async () => {
    const { version } = await orderPlanned('PN-BATCH');
    const before = await counts();
    const bad = await t.api('POST', '/api/v1/pins/batch', { baseVersion: version, moves: [{ order: 'PN-BATCH', seq: 2, machine: 1, mode: 'queue' }, { order: 'PN-BATCH', seq: 7, mode: 'queue' }] });
    expectError(bad, 404, 'not_found', 'moves.1.seq');
    expect(await counts()).toBe(before);
    const good = await t.api('POST', '/api/v1/pins/batch', { baseVersion: version, moves: [{ order: 'PN-BATCH', seq: 2, machine: 1, mode: 'queue' }] });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
    expect((good.body as { pins: PinView[] }).pins).toHaveLength(1);
  });
});

describe('unpin and undo', () => {
  it('DELETE /pins/{id} removes the pin (kept as history) and the operation is planned freely again', async () => {
    const base = await orderPlanned('PN-UNPIN');
    const created = await pin({ order: 'PN-UNPIN', seq: 2, machine: 1, start: at(40), mode: 'exact', baseVersion: base.version });
    expect(created.status).toBe(201);
    await waitForSchedule(t.api, (s) => operationOf(s, 'PN-UNPIN', 2).pinned);
    const removed = await t.api<'DELETE', string, PinView>('DELETE', `/api/v1/pins/${created.body.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ id: created.body.id, state: 'removed', note: 'unpinned', removedAt: expect.any(String) });
    const free = await waitForSchedule(t.api, (s) => !operationOf(s, 'PN-UNPIN', 2).pinned);
    expect(Date.parse(operationOf(free, 'PN-UNPIN', 2).start)).toBeLessThan(Date.parse(at(40)));
    expectError(await t.api('DELETE', `/api/v1/pins/${created.body.id}`), 409, 'invalid_state');
    expectError(await t.api('DELETE', '/api/v1/pins/999999'), 404, 'not_found');
    const live = (await t.api<'GET', string, PinView[]>('GET', '/api/v1/pins')).body;
    expect(live.map((p) => p.id)).not.toContain(created.body.id);
    const all = (await t.api<'GET', string, PinView[]>('GET', '/api/v1/pins?state=all')).body;
    expect(all.map((p) => p.id)).toContain(created.body.id);
  });

  it('undo takes back the last commit and restores the pin it replaced; with nothing left, 404', async () => {
    const planner = (await t.api('POST', '/api/v1/auth/tokens', { name: 'undo planner', role: 'planner' })).body as { token: string };
    const as = { token: planner.token };
    const base = await orderPlanned('PN-UNDO');
    // Taken once: at() rounds up to the next minute, and the wait below may cross one.
    const firstStart = at(50);
    const first = await t.api<'POST', string, PinView>('POST', '/api/v1/pins', { order: 'PN-UNDO', seq: 2, machine: 1, start: firstStart, mode: 'exact', baseVersion: base.version }, as);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await t.api<'POST', string, PinView>('POST', '/api/v1/pins', { order: 'PN-UNDO', seq: 2, machine: 2, start: at(52), mode: 'exact', baseVersion: (await settledSchedule(t.api)).version }, as);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const [replaced] = await t.sql<{ state: string; note: string }[]>`select state, note from plan_pin where id = ${first.body.id}`;
    expect(replaced).toEqual({ state: 'removed', note: 'replaced' });

    // Someone else's commit (or an unknown one) is not the caller's to undo.
    expectError(await t.api('POST', '/api/v1/pins/undo', { commitId: second.body.commitId }), 404, 'not_found', 'commitId');
    const undone = await t.api<'POST', string, PinUndoView>('POST', '/api/v1/pins/undo', { commitId: second.body.commitId }, as);
    expect(undone.status).toBe(200);
    expect(undone.body.commitId).toBe(second.body.commitId);
    expect(undone.body.removed).toEqual([expect.objectContaining({ id: second.body.id, state: 'removed', note: 'undone' })]);
    expect(undone.body.restored).toEqual([expect.objectContaining({ id: first.body.id, state: 'active', note: null, removedAt: null })]);
    const restored = await waitForSchedule(t.api, (s) => operationOf(s, 'PN-UNDO', 2).machine === 1 && operationOf(s, 'PN-UNDO', 2).start === firstStart);
    expect(operationOf(restored, 'PN-UNDO', 2).pinned).toBe(true);
    expect((await t.sql`select 1 from event_log where type = 'pin.undone' and subject = ${second.body.commitId}`).length).toBe(1);

    expect((await t.api('POST', '/api/v1/pins/undo', {}, as)).status).toBe(200);
    expectError(await t.api('POST', '/api/v1/pins/undo', {}, as), 404, 'not_found');
  });
});

describe('pins the plan can no longer keep', () => {
  it('a breakdown over the pinned start makes the pin unhonourable (reported, with why), not dropped; it recovers when resolved', async () => {
    const base = await orderPlanned('PN-DOWN');
    const start = at(20);
    const created = await pin({ order: 'PN-DOWN', seq: 2, machine: 2, start, mode: 'exact', baseVersion: base.version });
    expect(created.status).toBe(201);
    await waitForSchedule(t.api, (s) => operationOf(s, 'PN-DOWN', 2).start === start);
    const andonId = randomUUID();
    const raised = await t.api('POST', '/api/v1/andon', { id: andonId, workCenter: 'WELD', machine: 2, reason: 'breakdown', expectedMinutes: 30 * 60 });
    expect(raised.status).toBe(201);
    const moved = await waitForSchedule(t.api, (s) => Date.parse(operationOf(s, 'PN-DOWN', 2).start) > Date.parse(start));
    expect(operationOf(moved, 'PN-DOWN', 2)).toMatchObject({ machine: 2, pinned: true });
    const deadline = Date.now() + 5_000;
    let state = '';
    while (state !== 'unhonourable' && Date.now() < deadline) {
      state = (await t.sql<{ state: string }[]>`select state from plan_pin where id = ${created.body.id}`)[0]!.state;
      await new Promise((r) => setTimeout(r, 50));
    }
    const live = (await t.api<'GET', string, PinView[]>('GET', '/api/v1/pins')).body.find((p) => p.id === created.body.id);
    expect(live).toMatchObject({ state: 'unhonourable', note: expect.stringMatching(/machine is down/), noteCode: 'pin_machine_down' });
    expect(await pinMessages(created.body.id)).toContainEqual(expect.objectContaining({ type: 'pin.unhonourable', state: 'unhonourable' }));

    expect((await t.api('POST', `/api/v1/andon/${andonId}/resolve`, { rootCause: 'fixed' })).status).toBe(200);
    await waitForSchedule(t.api, (s) => operationOf(s, 'PN-DOWN', 2).start === start);
    await settledSchedule(t.api);
    expect((await t.sql<{ state: string }[]>`select state from plan_pin where id = ${created.body.id}`)[0]!.state).toBe('active');
    expect((await pinMessages(created.body.id)).map((m) => m.type)).toContain('pin.honoured');
  });

  it('a pin into closed calendar time is planned when the calendar opens again and reported', async () => {
    expect((await t.api('POST', '/api/v1/orders', { code: 'PN-HOLIDAY', product: 'P3', quantity: 10, dueAt: at(96) })).status).toBe(201);
    await waitForEta(t.api, 'PN-HOLIDAY');
    const base = await settledSchedule(t.api);
    const closed = new Date(tomorrow.getTime() + 12 * HOUR).toISOString();
    const created = await pin({ order: 'PN-HOLIDAY', seq: 2, machine: 2, start: closed, mode: 'exact', baseVersion: base.version });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const next = await waitForSchedule(t.api, (s) => operationOf(s, 'PN-HOLIDAY', 2).pinned);
    // Never in the holiday: at the first working minute after it, on the pinned machine.
    expect(operationOf(next, 'PN-HOLIDAY', 2)).toMatchObject({ machine: 2, start: new Date(tomorrow.getTime() + DAY).toISOString() });
    await settledSchedule(t.api);
    const [row] = await t.sql<{ state: string; note: string; note_code: string }[]>`select state, note, note_code from plan_pin where id = ${created.body.id}`;
    expect(row).toEqual({ state: 'unhonourable', note: expect.stringMatching(/does not work/), note_code: 'pin_off_shift' });
    expect(await pinMessages(created.body.id)).toContainEqual(expect.objectContaining({ type: 'pin.unhonourable' }));
  });

  it('a pin whose operation completes is removed with a note', async () => {
    const base = await orderPlanned('PN-DONE');
    const created = await pin({ order: 'PN-DONE', seq: 2, machine: 2, mode: 'queue', baseVersion: base.version });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const event = (type: string, seq: number, machine: number, extra = {}) => t.api('POST', '/api/v1/events', { id: randomUUID(), type, order: 'PN-DONE', seq, machine, ...extra });
    for (const [seq, machine] of [[1, 1], [2, 2]] as const) {
      expect((await event('operation.started', seq, machine)).status).toBe(201);
      expect((await event('operation.completed', seq, machine, { quantityGood: 10 })).status).toBe(201);
    }
    const deadline = Date.now() + 10_000;
    let row: { state: string; note: string | null } | undefined;
    while (row?.state !== 'removed' && Date.now() < deadline) {
      [row] = await t.sql<{ state: string; note: string | null }[]>`select state, note from plan_pin where id = ${created.body.id}`;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(row).toEqual({ state: 'removed', note: expect.stringMatching(/^(operation completed|order completed)$/) });
    expect((await pinMessages(created.body.id)).map((m) => m.type)).toContain('pin.removed');
  });
});
