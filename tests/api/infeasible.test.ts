import { expect, it } from 'vitest';
import { createOrder, seedSmallFactory, waitForEta } from '../support/factory.ts';
import { useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

it('a plan that cannot be computed keeps the last one and says why, naming the culprit', async () => {
  await createOrder(t.api, 'INF-1');
  const before = await waitForEta(t.api, 'INF-1');
  const stream = t.stream('schedule');
  await new Promise((r) => setTimeout(r, 100));
  // A calendar without a single shift: welding never has working time.
  await t.api('PUT', '/api/v1/calendars/NEVER', { timeZone: 'UTC', shifts: [] });
  await t.api('PUT', '/api/v1/work-centers/WELD', { name: 'Welding', line: 'L1', machines: 2, calendar: 'NEVER' });
  const problem = await stream.waitForTopic('schedule', (m) => 'error' in m.data);
  const errors = 'errors' in problem.data ? problem.data.errors : [];
  expect(errors[0]).toMatchObject({ code: 'no_working_time', workCenter: 'WELD', order: 'INF-1' });
  // The last good plan and its ETAs stay: a bad edit must not blank every screen.
  const kept = await t.api('GET', '/api/v1/schedule');
  expect(kept.status).toBe(200);
  const version = kept.body.version;
  // The problem is stored, not only announced: a screen opened later still learns why.
  expect(kept.body.problem).toMatchObject({ errors: [{ code: 'no_working_time', workCenter: 'WELD' }] });
  const summary = await t.api('GET', '/api/v1/schedule?summary=true');
  expect(summary.body).toMatchObject({ version, operations: [], problem: { errors: [{ code: 'no_working_time' }] } });
  expect(Date.parse((await t.api('GET', '/api/v1/orders/INF-1')).body.eta!)).toBeGreaterThanOrEqual(Date.parse(before.eta));
  // Fixing the calendar re-plans at once.
  await t.api('PUT', '/api/v1/work-centers/WELD', { name: 'Welding', line: 'L1', machines: 2, calendar: 'ALWAYS' });
  await stream.waitForTopic('schedule', (m) => 'version' in m.data && m.data.version > version);
  await stream.close();
  expect((await t.api('GET', '/api/v1/schedule')).body.problem).toBeNull();
});
