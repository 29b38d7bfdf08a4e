import { describe, expect, it, onTestFinished } from 'vitest';
import { seedDemo } from '../../server/demo/seed.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { startTestSystem, useTestSystem } from '../support/system.ts';

const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    await api('PUT', '/api/v1/work-centers/PAINT', { name: 'Paint', line: 'L2', machines: 1, calendar: 'ALWAYS' });
  },
});

describe('boards', () => {
  it('PUT with defaults, GET, list; a PUT replaces', async () => {
    const r = await t.api('PUT', '/api/v1/boards/ALL', { name: 'Whole plant' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ code: 'ALL', name: 'Whole plant', lines: [], workCenters: [], pageSeconds: 15, sound: true, layout: 'tiles' });
    const l1 = { name: 'Line 1', lines: ['L1'], workCenters: ['PAINT'], pageSeconds: 20, sound: false, layout: 'tiles', locale: 'zh-CN' };
    expect((await t.api('PUT', '/api/v1/boards/L1', l1)).body).toEqual({ code: 'L1', ...l1 });
    expect((await t.api('GET', '/api/v1/boards/L1')).body).toEqual({ code: 'L1', ...l1 });
    expect((await t.api('GET', '/api/v1/boards')).body.map((b: { code: string }) => b.code)).toEqual(['ALL', 'L1']);
    const replaced = await t.api('PUT', '/api/v1/boards/L1', { name: 'Line one', lines: ['L1'] });
    expect(replaced.body).toEqual({ code: 'L1', name: 'Line one', lines: ['L1'], workCenters: [], pageSeconds: 15, sound: true, layout: 'tiles' });
    expectError(await t.api('GET', '/api/v1/boards/NOPE'), 404, 'not_found');
  });

  it('stores the kanban layout, and a PUT without a layout goes back to tiles', async () => {
    const kanban = { name: 'Queues', lines: ['L1'], layout: 'kanban' };
    expect((await t.api('PUT', '/api/v1/boards/FLOW', kanban)).body).toMatchObject({ code: 'FLOW', layout: 'kanban' });
    expect((await t.api('GET', '/api/v1/boards/FLOW')).body).toMatchObject({ code: 'FLOW', lines: ['L1'], layout: 'kanban' });
    expect((await t.api('GET', '/api/v1/boards')).body.find((b: { code: string }) => b.code === 'FLOW')?.layout).toBe('kanban');
    expect((await t.api('PUT', '/api/v1/boards/FLOW', { name: 'Queues', lines: ['L1'] })).body.layout).toBe('tiles');
    expect((await t.api('GET', '/api/v1/boards/FLOW')).body.layout).toBe('tiles');
  });

  it('400 naming the work center or line that does not exist, and the bad field', async () => {
    expectError(await t.api('PUT', '/api/v1/boards/X1', { name: 'x', workCenters: ['CUT', 'NOPE'] }), 400, 'validation_failed', 'workCenters.1');
    expectError(await t.api('PUT', '/api/v1/boards/X1', { name: 'x', lines: ['L9'] }), 400, 'validation_failed', 'lines.0');
    expectError(await t.api('PUT', '/api/v1/boards/X1', { name: 'x', pageSeconds: 1 }), 400, 'validation_failed', 'pageSeconds');
    expectError(await t.api('PUT', '/api/v1/boards/X1', { name: 'x', locale: 'fr' }), 400, 'validation_failed', 'locale');
    expectError(await t.api('PUT', '/api/v1/boards/X1', { name: 'x', layout: 'gantt' }), 400, 'validation_failed', 'layout');
    expectError(await t.api('PUT', '/api/v1/boards/X1', { name: 'x', layout: null }), 400, 'validation_failed', 'layout');
    expectError(await t.api('PUT', '/api/v1/boards/X1', {}), 400, 'validation_failed', 'name');
    expectError(await t.api('GET', '/api/v1/boards/X1'), 404, 'not_found');
  });
});

describe('playlists', () => {
  it('PUT, GET, list; boards must exist (400 naming boards.N)', async () => {
    const body = { name: 'Rotation', boards: ['ALL', 'L1'], rotateSeconds: 45 };
    const r = await t.api('PUT', '/api/v1/playlists/ROTATE', body);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ code: 'ROTATE', ...body });
    expect((await t.api('GET', '/api/v1/playlists/ROTATE')).body).toEqual({ code: 'ROTATE', ...body });
    expect((await t.api('PUT', '/api/v1/playlists/SHORT', { name: 's', boards: ['ALL'] })).body.rotateSeconds).toBe(30);
    expect((await t.api('GET', '/api/v1/playlists')).body.map((p: { code: string }) => p.code)).toEqual(['ROTATE', 'SHORT']);
    expectError(await t.api('PUT', '/api/v1/playlists/BAD', { name: 'b', boards: ['ALL', 'NOPE'] }), 400, 'validation_failed', 'boards.1');
    expectError(await t.api('PUT', '/api/v1/playlists/BAD', { name: 'b', boards: [] }), 400, 'validation_failed', 'boards');
    expectError(await t.api('GET', '/api/v1/playlists/BAD'), 404, 'not_found');
  });

  it('a display token reads boards and playlists but may not write them', async () => {
    const display = (await t.api('POST', '/api/v1/auth/tokens', { name: 'TV', role: 'display' })).body.token;
    expect((await t.api('GET', '/api/v1/playlists/ROTATE', undefined, { token: display })).status).toBe(200);
    expect((await t.api('GET', `/api/v1/boards/ALL?access_token=${display}`, undefined, { token: null })).status).toBe(200);
    expectError(await t.api('PUT', '/api/v1/boards/ALL', { name: 'mine' }, { token: display }), 403, 'forbidden');
  });
});

describe('the demo', () => {
  it('seeds boards ALL and one per line, the ROTATE playlist, operators with PINs and a worker token', async () => {
    const demo = await seedDemo(t.system.database.db, { force: true, adminToken: null });
    expect(demo).not.toBeNull();
    expect(demo!.workerToken).toMatch(/^takt_/);
    expect(demo!.operators.map((o) => o.pin)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006']);
    // A server started now (as `npm start` after seeding) knows the new plant; this one caches plants for 10 s.
    const fresh = await startTestSystem({ join: t, role: 'server' });
    onTestFinished(() => fresh.stop());
    const asAdmin = <P extends string>(path: P) => fresh.api('GET', `/api/v1${path}?plant=DEMO`);
    expect((await asAdmin('/boards')).body.map((b: { code: string }) => b.code)).toEqual(['ALL', 'L1', 'L2', 'L3']);
    expect((await asAdmin('/boards/L2')).body).toMatchObject({ lines: ['L2'], workCenters: [] });
    expect((await asAdmin('/playlists/ROTATE')).body.boards).toEqual(['L1', 'L2', 'L3']);
    // The station URL's token identifies an operator by PIN in the demo plant.
    const who = await fresh.api('POST', '/api/v1/operators/identify', { pin: demo!.operators[0]!.pin }, { token: demo!.workerToken });
    expect(who.status).toBe(200);
    expect(who.body.code).toBe(demo!.operators[0]!.code);
    // Materials: BOMs on the demo products, and stock that covers only a slice of what the open orders need of STEEL-40 and MOTOR-3KW.
    expect((await asAdmin('/products/FRAME')).body.bom).toEqual([{ component: 'STEEL-40', quantityPerUnit: 4, seq: 1 }, { component: 'PAINT-GRY', quantityPerUnit: 1.2, seq: 5 }]);
    const components = (await asAdmin('/components')).body as { code: string; onHand: number; reorderPoint: number }[];
    expect(components.map((c) => c.code)).toEqual(['BEARING-6204', 'MOTOR-3KW', 'PAINT-GRY', 'SHEET-2', 'STEEL-20', 'STEEL-40']);
    const steel = components.find((c) => c.code === 'STEEL-40')!;
    expect(steel.onHand).toBeLessThan(steel.reorderPoint);
    // Every start prints the same credentials.
    expect(await seedDemo(t.system.database.db, { force: true, adminToken: null })).toEqual(demo);
  });
});
