import { describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, createOrder, seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

const dayShift = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '08:00', end: '16:00' }));

describe('calendars', () => {
  it('PUT creates, GET returns it, a second PUT replaces it', async () => {
    const created = await t.api('PUT', '/api/v1/calendars/DAY', { name: 'Day shift', timeZone: 'Asia/Shanghai', shifts: dayShift });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ code: 'DAY', name: 'Day shift', timeZone: 'Asia/Shanghai', shifts: dayShift, exceptions: [] });

    const exceptions = [{ from: '2030-10-01T00:00', to: '2030-10-08T00:00', working: false, note: 'National Day' }];
    const replaced = await t.api('PUT', '/api/v1/calendars/DAY', { timeZone: 'Europe/Berlin', shifts: dayShift.slice(0, 2), exceptions });
    expect(replaced.status).toBe(200);
    // No name given: the code stands in for it.
    expect(replaced.body).toEqual({ code: 'DAY', name: 'DAY', timeZone: 'Europe/Berlin', shifts: dayShift.slice(0, 2), exceptions });

    const got = await t.api('GET', '/api/v1/calendars/DAY');
    expect(got.status).toBe(200);
    expect(got.body).toEqual(replaced.body);
    const list = await t.api('GET', '/api/v1/calendars');
    expect(list.body.map((c: { code: string }) => c.code)).toEqual(['ALWAYS', 'DAY']);
  });

  it('404 on an unknown code', async () => {
    expectError(await t.api('GET', '/api/v1/calendars/NOPE'), 404, 'not_found');
  });

  it.each([
    ['a time zone that does not exist', { ...ALWAYS_OPEN, timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['a missing time zone', { name: 'x', shifts: [] }, 'timeZone'],
    ['shift hour 25:00', { ...ALWAYS_OPEN, shifts: [{ weekday: 1, start: '25:00', end: '06:00' }] }, 'shifts.0.start'],
    ['weekday 8', { ...ALWAYS_OPEN, shifts: [{ weekday: 8, start: '06:00', end: '14:00' }] }, 'shifts.0.weekday'],
    ['an exception ending before it starts', { ...ALWAYS_OPEN, exceptions: [{ from: '2030-01-02T00:00', to: '2030-01-01T00:00', working: false }] }, 'exceptions.0.to'],
  ])('400 naming the field for %s, and nothing is stored', async (_name, body, field) => {
    expectError(await t.api('PUT', '/api/v1/calendars/BAD', body), 400, 'validation_failed', field);
    expectError(await t.api('GET', '/api/v1/calendars/BAD'), 404, 'not_found');
  });

  it('400 naming the code for an invalid code in the path', async () => {
    expectError(await t.api('PUT', '/api/v1/calendars/has%20space', ALWAYS_OPEN), 400, 'validation_failed', 'code');
  });
});

describe('work centers', () => {
  it('PUT creates and replaces; GET lists by line then code', async () => {
    const created = await t.api('PUT', '/api/v1/work-centers/PAINT', { name: 'Paint', line: 'L2', machines: 3, calendar: 'ALWAYS' });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ code: 'PAINT', name: 'Paint', line: 'L2', machines: 3, calendar: 'ALWAYS', setupMatrix: [], wipLimit: null, lateStartMinutes: 15 });
    const matrix = [{ from: 'red', to: 'blue', minutes: 15 }];
    const replaced = await t.api('PUT', '/api/v1/work-centers/PAINT', { name: 'Paint shop', line: 'L0', machines: 1, calendar: 'DAY', setupMatrix: matrix, wipLimit: 6, lateStartMinutes: 30 });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({ code: 'PAINT', name: 'Paint shop', line: 'L0', machines: 1, calendar: 'DAY', setupMatrix: matrix, wipLimit: 6, lateStartMinutes: 30 });
    expect((await t.api('GET', '/api/v1/work-centers/PAINT')).body).toEqual(replaced.body);
    const list = await t.api('GET', '/api/v1/work-centers');
    expect(list.body.map((w: { code: string }) => w.code)).toEqual(['PAINT', 'CUT', 'WELD']);
  });

  it('404 on an unknown code', async () => {
    expectError(await t.api('GET', '/api/v1/work-centers/NOPE'), 404, 'not_found');
  });

  it.each([
    ['machines 0', { name: 'x', line: 'L1', machines: 0, calendar: 'ALWAYS' }, 'machines'],
    ['machines 1.5', { name: 'x', line: 'L1', machines: 1.5, calendar: 'ALWAYS' }, 'machines'],
    ['a missing name', { line: 'L1', machines: 1, calendar: 'ALWAYS' }, 'name'],
    ['a WIP limit of 0', { name: 'x', line: 'L1', machines: 1, calendar: 'ALWAYS', wipLimit: 0 }, 'wipLimit'],
    ['a fractional WIP limit', { name: 'x', line: 'L1', machines: 1, calendar: 'ALWAYS', wipLimit: 2.5 }, 'wipLimit'],
    ['an unknown calendar', { name: 'x', line: 'L1', machines: 1, calendar: 'NOPE' }, 'calendar'],
    ['a negative setup in the matrix', { name: 'x', line: 'L1', machines: 1, calendar: 'ALWAYS', setupMatrix: [{ from: 'a', to: 'b', minutes: -1 }] }, 'setupMatrix.0.minutes'],
  ])('400 naming the field for %s, and nothing is stored', async (_name, body, field) => {
    expectError(await t.api('PUT', '/api/v1/work-centers/BADWC', body), 400, 'validation_failed', field);
    expectError(await t.api('GET', '/api/v1/work-centers/BADWC'), 404, 'not_found');
  });
});

describe('products', () => {
  const routing = [
    { seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1 },
    { seq: 2, workCenter: 'WELD', setupMinutes: 5, runMinutesPerUnit: 2, minTransferMinutes: 30, description: 'weld seams' },
  ];

  it('PUT stores the routing in seq order with defaults filled in', async () => {
    const created = await t.api('PUT', '/api/v1/products/P2', { name: 'Part two', family: 'brackets', routing: [routing[1], routing[0]] });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      code: 'P2',
      name: 'Part two',
      family: 'brackets',
      routing: [
        { seq: 1, workCenter: 'CUT', setupMinutes: 10, runMinutesPerUnit: 1, minTransferMinutes: 0, description: null },
        { seq: 2, workCenter: 'WELD', setupMinutes: 5, runMinutesPerUnit: 2, minTransferMinutes: 30, description: 'weld seams' },
      ],
      bom: [],
    });
    expect((await t.api('GET', '/api/v1/products/P2')).body).toEqual(created.body);
    const list = await t.api('GET', '/api/v1/products');
    expect(list.body.map((p: { code: string }) => p.code)).toEqual(['P1', 'P2']);
    expect(list.body[1]).toEqual(created.body);
  });

  it('a second PUT replaces the routing; existing orders keep their operations', async () => {
    await t.api('PUT', '/api/v1/products/P3', { name: 'Part three', routing });
    await createOrder(t.api, 'KEEP-1');
    // P1 is what createOrder uses; re-route P1 to a single step and check the old order still has two.
    const before = await t.api('GET', '/api/v1/products/P1');
    const replaced = await t.api('PUT', '/api/v1/products/P1', { name: 'Part one, v2', routing: [{ seq: 1, workCenter: 'WELD', setupMinutes: 1, runMinutesPerUnit: 1 }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body.name).toBe('Part one, v2');
    expect(replaced.body.family).toBeNull();
    expect(replaced.body.routing).toHaveLength(1);
    expect(replaced.body.routing[0]!.workCenter).toBe('WELD');
    const kept = await t.api('GET', '/api/v1/orders/KEEP-1');
    expect(kept.body.operations.map((o: { workCenter: string }) => o.workCenter)).toEqual(['CUT', 'WELD']);
    const fresh = await createOrder(t.api, 'NEW-1');
    expect(fresh.operations.map((o: { workCenter: string }) => o.workCenter)).toEqual(['WELD']);
    // Put P1 back as it was.
    const restored = await t.api('PUT', '/api/v1/products/P1', { name: before.body.name, routing: before.body.routing.map(({ description, ...s }) => ({ ...s, ...(description ? { description } : {}) })) });
    expect(restored.status).toBe(200);
    expect(restored.body).toEqual(before.body);
  });

  it('404 on an unknown code', async () => {
    expectError(await t.api('GET', '/api/v1/products/NOPE'), 404, 'not_found');
  });

  it.each([
    ['an unknown work center', [{ ...routing[0], workCenter: 'NOPE' }], 'routing.0.workCenter'],
    ['an unknown work center in the second step', [routing[0], { ...routing[1], workCenter: 'NOPE' }], 'routing.1.workCenter'],
    ['a gap in the steps', [routing[0], { ...routing[1], seq: 3 }], 'routing'],
    ['steps not starting at 1', [{ ...routing[0], seq: 2 }, { ...routing[1], seq: 3 }], 'routing'],
    ['a duplicate seq', [routing[0], { ...routing[1], seq: 1 }], 'routing.1.seq'],
    ['an empty routing', [], 'routing'],
    ['a zero run time', [{ ...routing[0], runMinutesPerUnit: 0 }], 'routing.0.runMinutesPerUnit'],
    ['a negative setup', [{ ...routing[0], setupMinutes: -5 }], 'routing.0.setupMinutes'],
    ['a missing seq', [{ workCenter: 'CUT', setupMinutes: 1, runMinutesPerUnit: 1 }], 'routing.0.seq'],
  ])('400 naming the field for %s, and nothing is stored', async (_name, steps, field) => {
    expectError(await t.api('PUT', '/api/v1/products/BADP', { name: 'Bad', routing: steps }), 400, 'validation_failed', field);
    expectError(await t.api('GET', '/api/v1/products/BADP'), 404, 'not_found');
  });

  it('a rejected PUT leaves the existing product as it was', async () => {
    const before = await t.api('GET', '/api/v1/products/P2');
    expectError(await t.api('PUT', '/api/v1/products/P2', { name: 'Broken', routing: [{ ...routing[0], workCenter: 'NOPE' }] }), 400, 'validation_failed', 'routing.0.workCenter');
    expect((await t.api('GET', '/api/v1/products/P2')).body).toEqual(before.body);
  });
});
