import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { Role } from '../../server/contract/auth.ts';
import { isOwnNotice, notificationAudiences, type NotificationView } from '../../server/contract/notifications.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { useTestSystem } from '../support/system.ts';

// GET /notifications?for=me: each person's own feed, beside the department and whole-plant feeds.
const tokens = new Map<string, string>();
const t = useTestSystem({
  seed: async (api) => {
    await seedSmallFactory(api);
    for (const [name, role] of [['Li Lead', 'lead'], ['Sun Sales', 'sales'], ['Qian QC', 'qc'], ['Zhang Wei', 'worker'], ['Pan Planner', 'planner']] as [string, Role][]) {
      const r = await api('POST', '/api/v1/auth/tokens', { name, role });
      expect(r.status).toBe(201);
      tokens.set(name, r.body.token);
    }
    // Breakdowns on this plant tell a named person first, then the lead.
    const ladder = { levels: [{ level: 1, afterMinutes: 0, notify: 'zhang wei' }, { level: 2, afterMinutes: 30, notify: 'lead' }] };
    expect((await api('PUT', '/api/v1/escalation/breakdown', ladder)).status).toBe(200);
  },
});

const mine = async (name: string) => {
  const r = await t.api('GET', '/api/v1/notifications?for=me', undefined, { token: tokens.get(name) });
  expect(r.status).toBe(200);
  return (r.body).map((n) => `${n.kind}:${n.audience}:${'reason' in n ? n.reason : ''}`);
};

it('tells each person what is theirs: the ladder names them (by role or by name), their department, nothing else', async () => {
  for (const reason of ['quality', 'breakdown']) {
    expect((await t.api('POST', '/api/v1/andon', { id: randomUUID(), workCenter: 'CUT', reason })).status).toBe(201);
  }
  // The default quality ladder names the lead at level 1; QC gets its own copy of quality alerts.
  expect(await mine('Li Lead')).toEqual(['andon.raised:floor:quality']);
  expect(await mine('Qian QC')).toEqual(['andon.raised:qc:quality']);
  // The breakdown ladder names Zhang Wei (typed in lower case: case does not matter), not the lead yet.
  expect(await mine('Zhang Wei')).toEqual(['andon.raised:floor:breakdown']);
  expect(await mine('Sun Sales')).toEqual([]);
  expect(await mine('Pan Planner')).toEqual([]);
  // The whole feed still has both alerts, once each.
  const whole = (await t.api('GET', '/api/v1/notifications')).body;
  expect(whole.map((n) => n.kind)).toEqual(['andon.raised', 'andon.raised']);
});

it('400 naming the parameter for another value of for', async () => {
  expectError(await t.api('GET', '/api/v1/notifications?for=everyone'), 400, 'validation_failed', 'for');
});

it('the console keeps live notices to the same rule (isOwnNotice): for each person it picks exactly what for=me answers', async () => {
  const everything = new Map<number, NotificationView>();
  for (const audience of [undefined, ...notificationAudiences]) {
    const r = await t.api<string, string, NotificationView[]>('GET', `/api/v1/notifications?limit=1000${audience ? `&audience=${audience}` : ''}`);
    for (const n of r.body) everything.set(n.id, n);
  }
  expect(everything.size).toBeGreaterThan(2);
  const people: [string, Role][] = [['Li Lead', 'lead'], ['Sun Sales', 'sales'], ['Qian QC', 'qc'], ['Zhang Wei', 'worker'], ['Pan Planner', 'planner']];
  for (const [name, role] of people) {
    const answered = (await t.api<string, string, NotificationView[]>('GET', '/api/v1/notifications?for=me&limit=1000', undefined, { token: tokens.get(name) })).body;
    const kept = [...everything.values()].filter((n) => isOwnNotice(n, { role, name }));
    expect(kept.map((n) => n.id).sort(), name).toEqual(answered.map((n) => n.id).sort());
  }
});
