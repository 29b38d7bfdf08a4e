import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StreamMessage } from '../../server/contract/stream.ts';
import { seedSmallFactory } from '../support/factory.ts';
import { expectError } from '../support/errors.ts';
import { startTestSystem, type TestSystem, useTestSystem } from '../support/system.ts';

const t = useTestSystem({ seed: seedSmallFactory });

// 0.02 minutes = 1.2 s: short enough for a test, long enough to stop a system before it is due.
const SHORT = { levels: [{ level: 1, afterMinutes: 0, notify: 'lead' }, { level: 2, afterMinutes: 0.02, notify: 'supervisor' }, { level: 3, afterMinutes: 0.04, notify: 'plant manager' }] };

const pendingTimers = async (db: postgres.Sql, id: string) =>
  (await db<{ n: number }[]>`select count(*)::int as n from graphile_worker.jobs where key = ${'escalate:' + id}`)[0]!.n;
/** graphile-worker deletes a finished job just after the task returns: poll for the timer to go. */
async function noTimerLeft(db: postgres.Sql, id: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await pendingTimers(db, id)) !== 0) {
    if (Date.now() > deadline) throw new Error(`escalation timer of ${id} still pending`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const isNotification = (id: string, level: number) => (m: StreamMessage) => m.topic === 'notification' && 'andonId' in m.data && m.data.andonId === id && m.data.level === level;
const isEscalated = (id: string, level: number) => (m: StreamMessage) =>
  m.topic === 'andon' && m.data.type === 'andon.escalated' && (m.data.andon as { id: string; escalationLevel: number }).id === id && (m.data.andon as { escalationLevel: number }).escalationLevel === level;

describe('escalation ladders', () => {
  it('GET lists every reason with the default ladder until one is configured', async () => {
    const r = await t.api('GET', '/api/v1/escalation');
    expect(r.status).toBe(200);
    expect(r.body.map((l: { reason: string }) => l.reason)).toEqual(['material', 'quality', 'breakdown', 'safety', 'other']);
    for (const ladder of r.body) {
      expect(ladder).toEqual({
        reason: ladder.reason,
        configured: false,
        levels: [
          { level: 1, afterMinutes: 0, notify: 'lead' },
          { level: 2, afterMinutes: 5, notify: 'supervisor' },
          { level: 3, afterMinutes: 15, notify: 'manager' },
        ],
      });
    }
  });

  it('PUT stores a ladder for one reason; GET shows it', async () => {
    const body = { levels: [{ level: 1, afterMinutes: 0, notify: 'line lead' }, { level: 2, afterMinutes: 2.5, notify: 'quality engineer' }] };
    const r = await t.api('PUT', '/api/v1/escalation/quality', body);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ reason: 'quality', configured: true, ...body });
    const all = await t.api('GET', '/api/v1/escalation');
    expect(all.body.find((l: { reason: string }) => l.reason === 'quality')).toEqual({ reason: 'quality', configured: true, ...body });
    expect(all.body.find((l: { reason: string }) => l.reason === 'material')!.configured).toBe(false);
  });

  it('400 naming the field for a bad ladder, and nothing stored', async () => {
    const level = (n: number, after: number) => ({ level: n, afterMinutes: after, notify: `level ${n}` });
    const put = (levels: unknown) => t.api('PUT', '/api/v1/escalation/safety', { levels });
    expectError(await put([level(1, 0), level(2, 5), level(2, 10)]), 400, 'validation_failed', 'levels.2.level');
    expectError(await put([level(2, 0)]), 400, 'validation_failed', 'levels.0.level');
    expectError(await put([level(1, 0), level(2, 5), level(3, 5)]), 400, 'validation_failed', 'levels.2.afterMinutes');
    expectError(await put([level(1, 0), level(2, 10), level(3, 7)]), 400, 'validation_failed', 'levels.2.afterMinutes');
    expectError(await put([level(1, 3)]), 400, 'validation_failed', 'levels.0.afterMinutes');
    expectError(await put([level(1, 0), level(2, -1)]), 400, 'validation_failed', 'levels.1.afterMinutes');
    expectError(await put([level(1, 0), { level: 2, afterMinutes: 5, notify: '' }]), 400, 'validation_failed', 'levels.1.notify');
    expectError(await put([]), 400, 'validation_failed', 'levels');
    expectError(await t.api('PUT', '/api/v1/escalation/weather', { levels: [level(1, 0)] }), 400, 'validation_failed', 'reason');
    expect((await t.api('GET', '/api/v1/escalation')).body.find((l: { reason: string }) => l.reason === 'safety')!.configured).toBe(false);
  });
});

describe('escalation timers', () => {
  beforeAll(async () => {
    expect((await t.api('PUT', '/api/v1/escalation/breakdown', SHORT)).status).toBe(200);
  });

  it('an unacknowledged alert climbs to level 2 and 3: notifications, andon.escalated messages, feed rows', async () => {
    const stream = t.stream('andon,notification');
    const id = randomUUID();
    const raisedAt = Date.now();
    expect((await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'breakdown' })).status).toBe(201);
    await stream.waitFor(isNotification(id, 1), 2000);
    const second = await stream.waitFor(isNotification(id, 2), 5000);
    expect(second.data).toMatchObject({ kind: 'andon.escalated', notify: 'supervisor', workCenter: 'CUT', reason: 'breakdown' });
    await stream.waitFor(isEscalated(id, 2), 1000);
    // Not before it is due (1.2 s after the raise).
    expect(Date.parse(second.emittedAt)).toBeGreaterThanOrEqual(raisedAt + 1200 - 50);
    const third = await stream.waitFor(isNotification(id, 3), 5000);
    expect(third.data).toMatchObject({ kind: 'andon.escalated', notify: 'plant manager' });
    await stream.waitFor(isEscalated(id, 3), 1000);
    await stream.close();

    expect((await t.api('GET', `/api/v1/andon/${id}`)).body).toMatchObject({ state: 'raised', escalationLevel: 3 });
    const feed = (await t.api('GET', '/api/v1/notifications')).body.flatMap((n) => ('andonId' in n && n.andonId === id ? [n] : []));
    expect(feed.map((n) => [n.level, n.kind])).toEqual([[3, 'andon.escalated'], [2, 'andon.escalated'], [1, 'andon.raised']]);
    // The top of the ladder leaves no timer behind; the log records each step.
    await noTimerLeft(t.sql, id);
    const log = await t.sql<{ type: string; actor: string }[]>`select type, actor from event_log where subject = ${id} and type = 'andon.escalated' order by id`;
    expect(log).toEqual([{ type: 'andon.escalated', actor: 'escalation' }, { type: 'andon.escalated', actor: 'escalation' }]);
  });

  it('stops when acknowledged: no further level, no timer left', async () => {
    const stream = t.stream('andon,notification');
    const id = randomUUID();
    await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'breakdown' });
    await stream.waitFor(isNotification(id, 2), 5000);
    expect(await pendingTimers(t.sql, id)).toBe(1);
    expect((await t.api('POST', `/api/v1/andon/${id}/acknowledge`, {})).status).toBe(200);
    expect(await pendingTimers(t.sql, id)).toBe(0);
    // Level 3 was due 2.4 s after the raise; wait well past it (plus a poll interval).
    await new Promise((r) => setTimeout(r, 2500));
    await stream.close();
    expect(stream.messages.filter(isNotification(id, 3))).toEqual([]);
    expect((await t.api('GET', `/api/v1/andon/${id}`)).body).toMatchObject({ state: 'acknowledged', escalationLevel: 2 });
  });

  it('a resolve or cancel before the first timer stops it too', async () => {
    for (const action of ['resolve', 'cancel']) {
      const id = randomUUID();
      await t.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'breakdown' });
      expect((await t.api('POST', `/api/v1/andon/${id}/${action}`, {})).status).toBe(200);
      expect(await pendingTimers(t.sql, id)).toBe(0);
    }
  });

  it('survives a restart: the timer is a row in PostgreSQL and a new worker runs it', async () => {
    const first = await startTestSystem();
    const db = postgres(first.databaseUrl, { max: 1, onnotice: () => {} });
    let second: TestSystem | null = null;
    try {
      await seedSmallFactory(first.api);
      // Level 2 at 6 s: the first system is gone long before, even on a loaded machine.
      const ladder = { levels: [{ level: 1, afterMinutes: 0, notify: 'lead' }, { level: 2, afterMinutes: 0.1, notify: 'supervisor' }] };
      expect((await first.api('PUT', '/api/v1/escalation/material', ladder)).status).toBe(200);
      const id = randomUUID();
      const raisedAt = Date.now();
      expect((await first.api('POST', '/api/v1/andon', { id, workCenter: 'CUT', reason: 'material' })).status).toBe(201);
      await first.system.stop();
      expect(Date.now() - raisedAt, 'the first system took too long to stop').toBeLessThan(6000);
      expect(await pendingTimers(db, id)).toBe(1);
      expect((await db<{ level: number }[]>`select escalation_level as level from andon where id = ${id}`)[0]!.level).toBe(1);

      second = await startTestSystem({ join: first });
      const stream = second.stream('notification,andon');
      const escalated = await stream.waitFor(isNotification(id, 2), 15_000);
      expect(Date.parse(escalated.emittedAt)).toBeGreaterThanOrEqual(raisedAt + 6000 - 50);
      expect(escalated.data).toMatchObject({ kind: 'andon.escalated', notify: 'supervisor' });
      await stream.waitFor(isEscalated(id, 2), 1000);
      await stream.close();
      await noTimerLeft(db, id);
    } finally {
      await db.end();
      await second?.stop();
      await first.stop();
    }
  });
});
