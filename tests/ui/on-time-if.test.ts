import { describe, expect, it } from 'vitest';
import { onTimeIf } from '$console/sales/on-time-if.ts';

const now = new Date('2026-03-04T08:00:00.000Z');
const down = { kind: 'down' as const, seq: 2, workCenter: 'MILL', until: '2026-03-04T16:00:00.000Z', downtimeId: 'd1' };

describe('"on time if"', () => {
  it('a single downtime: the machine has to be back as much earlier as the order is late', () => {
    expect(onTimeIf({ late: true, latenessMinutes: 120, reasons: [down] }, now)).toEqual({ kind: 'down', workCenter: 'MILL', by: '2026-03-04T14:00:00.000Z' });
  });

  it('a single hold: the operation has to be released that much earlier', () => {
    const held = { kind: 'held' as const, seq: 3, reason: 'material' as const, until: '2026-03-04T12:00:00.000Z' };
    expect(onTimeIf({ late: true, latenessMinutes: 30, reasons: [held] }, now)).toEqual({ kind: 'held', seq: 3, reason: 'material', by: '2026-03-04T11:30:00.000Z' });
  });

  it('says nothing when the arithmetic would not be honest', () => {
    const work = { kind: 'work' as const, minutes: 600 };
    // Two reasons share the lateness: a subtraction cannot split it.
    expect(onTimeIf({ late: true, latenessMinutes: 60, reasons: [down, work] }, now)).toBeNull();
    // Shifts do not move, queues are not a time anyone can promise.
    expect(onTimeIf({ late: true, latenessMinutes: 60, reasons: [{ kind: 'closed', seq: 1, workCenter: 'MILL', until: '2026-03-04T16:00:00.000Z' }] }, now)).toBeNull();
    expect(onTimeIf({ late: true, latenessMinutes: 60, reasons: [work] }, now)).toBeNull();
    // The machine would have had to be back already.
    expect(onTimeIf({ late: true, latenessMinutes: 9 * 60, reasons: [down] }, now)).toBeNull();
    // Not late, or late without a measure.
    expect(onTimeIf({ late: false, latenessMinutes: null, reasons: [down] }, now)).toBeNull();
    expect(onTimeIf({ late: true, latenessMinutes: null, reasons: [down] }, now)).toBeNull();
  });
});
