import { describe, expect, it } from 'vitest';
import { schedule } from '../../scheduler/engine/index.ts';
import { H, MONDAY, op, options, order, planOf, snapshot, wc } from './fixtures.ts';

const now = MONDAY + 7 * H;
const etaOf = (plan: ReturnType<typeof planOf>, code: string) => plan.orders.find((o) => o.order === code)!;

describe('late reasons name the real cause', () => {
  it('queued behind another order, then closed for the night', () => {
    const orders = [
      order('BIG', [op(1, 'A', 420)], { dueAt: MONDAY + 16 * H, priority: 5 }),
      order('LATE', [op(1, 'A', 120)], { dueAt: MONDAY + 16 * H }),
    ];
    const plan = planOf(schedule(snapshot({ orders }), null, now, options()));
    const late = etaOf(plan, 'LATE');
    expect(late.eta).toBe(MONDAY + 24 * H + 9 * H);
    expect(late.reasons).toEqual([
      { kind: 'queued', seq: 1, workCenter: 'A', behind: ['BIG'], waitMinutes: 480 },
    ]);
    expect(etaOf(plan, 'BIG').reasons).toEqual([]);
  });

  it('held until, down until, waiting for the shift, too much work', () => {
    const downtimes = [{ id: 'andon-7', workCenter: 'B', from: MONDAY, to: MONDAY + 12 * H, reason: 'breakdown' as const }];
    const orders = [
      order('H', [op(1, 'A', 60, { status: 'held', hold: { until: MONDAY + 10 * H, reason: 'quality', andonId: 'q-1' } })], { dueAt: MONDAY + 10 * H }),
      order('D', [op(1, 'B', 60)], { dueAt: MONDAY + 11 * H }),
      order('C', [op(1, 'A', 60)], { dueAt: MONDAY + 8 * H, releaseAt: MONDAY + 16 * H }),
      order('W', [op(1, 'E', 600)], { dueAt: MONDAY + 12 * H }),
    ];
    const workCenters = [wc('A'), wc('B', 1, 'all'), wc('E')];
    const plan = planOf(schedule(snapshot({ workCenters, downtimes, orders }), null, now, options()));
    expect(etaOf(plan, 'H').reasons).toEqual([{ kind: 'held', seq: 1, reason: 'quality', until: MONDAY + 10 * H, andonId: 'q-1' }]);
    expect(etaOf(plan, 'D').reasons).toEqual([{ kind: 'down', seq: 1, workCenter: 'B', until: MONDAY + 12 * H, downtimeId: 'andon-7' }]);
    expect(etaOf(plan, 'C').reasons).toEqual([
      { kind: 'released', at: MONDAY + 16 * H },
      { kind: 'closed', seq: 1, workCenter: 'A', until: MONDAY + 32 * H },
      { kind: 'work', minutes: 60 },
    ]);
    expect(etaOf(plan, 'W').reasons).toEqual([
      { kind: 'closed', seq: 1, workCenter: 'E', until: MONDAY + 8 * H },
      { kind: 'work', minutes: 600 },
    ]);
  });

  it('work under way that stops for the night says when it resumes', () => {
    // 15:00, one hour of the shift left, three hours of work: the rest waits for 08:00 tomorrow.
    const evening = MONDAY + 15 * H;
    const orders = [
      order('RUN', [op(1, 'A', 180, { status: 'running', running: { machine: 1, startedAt: MONDAY + 14 * H } })], { dueAt: MONDAY + 17 * H }),
    ];
    const plan = planOf(schedule(snapshot({ orders }), null, evening, options()));
    const run = etaOf(plan, 'RUN');
    expect(run.eta).toBe(MONDAY + 24 * H + 10 * H);
    expect(run.reasons).toContainEqual({ kind: 'closed', seq: 1, workCenter: 'A', until: MONDAY + 24 * H + 8 * H });
  });

  it('an order whose due date has already passed says so instead of blaming the work', () => {
    const orders = [order('PAST', [op(1, 'A', 30)], { dueAt: MONDAY - 24 * H })];
    const plan = planOf(schedule(snapshot({ orders }), null, now, options()));
    expect(etaOf(plan, 'PAST').reasons).toEqual([
      { kind: 'closed', seq: 1, workCenter: 'A', until: MONDAY + 8 * H },
      { kind: 'overdue', dueAt: MONDAY - 24 * H },
    ]);
  });

  it('a pinned start that leaves the machine idle is a wait, never "queued behind" nobody', () => {
    const orders = [order('PIN', [op(1, 'A', 60, { pin: { machine: 1, start: MONDAY + 12 * H } })], { dueAt: MONDAY + 9 * H })];
    const plan = planOf(schedule(snapshot({ orders }), null, now, options()));
    const reasons = etaOf(plan, 'PIN').reasons;
    // Ready at 07:00 (now), pinned to 12:00: five hours with nobody ahead.
    expect(reasons).toEqual([{ kind: 'waiting', seq: 1, workCenter: 'A', waitMinutes: 300 }]);
    expect(reasons.filter((r) => r.kind === 'queued' && r.behind.length === 0)).toEqual([]);
  });
});
