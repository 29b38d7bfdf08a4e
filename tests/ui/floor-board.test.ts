import type { AndonView } from '../../server/contract/andon.ts';
import type { ProgressData } from '../../server/contract/stream.ts';
import type { OperationOnFloor, WorkCenterStatus } from '../../server/contract/floor.ts';
import { describe, expect, it } from 'vitest';
import { andonsForBoard, applyProgressToFloor, floorForBoard, markLateStart, tilesFromFloor } from '../../display/lib/board/floor-board.ts';
import { progressData } from './views.ts';

const op = (order: string, o: Partial<OperationOnFloor> = {}): OperationOnFloor => ({
  order,
  seq: 1,
  operations: 3,
  product: 'P',
  productName: 'Part',
  status: 'pending',
  machine: 1,
  quantity: 50,
  quantityGood: 0,
  quantityScrap: 0,
  setupMinutes: 10,
  startedAt: null,
  plannedStart: '2026-03-02T02:00:00Z',
  plannedEnd: null,
  dueAt: '2026-03-03T00:00:00Z',
  late: false,
  ...o,
});

const wc = (code: string, line: string, o: Partial<WorkCenterStatus> = {}): WorkCenterStatus => ({
  code,
  name: code,
  line,
  machines: 1,
  active: [],
  next: [],
  openAndon: [],
  lateStarts: [],
  ...o,
});

const progress = (o: Partial<ProgressData>): ProgressData => progressData('O1', 1, 'A', { operator: null, at: '2026-03-02T02:00:00Z', ...o });

const alert = (workCenter: string, reason: AndonView['reason']) => ({ id: workCenter + reason, workCenter, reason, state: 'raised' }) as AndonView;
const now = Date.parse('2026-03-02T03:00:00Z');

describe('board from /floor', () => {
  it('derives tile state: running, setup, idle, blocked, down', () => {
    const floor = [
      wc('RUN', 'L1', { active: [op('O1', { status: 'running', quantityGood: 5, startedAt: '2026-03-02T02:00:00Z' })] }),
      wc('SET', 'L1', { active: [op('O2', { status: 'running', startedAt: '2026-03-02T02:55:00Z' })] }),
      wc('IDLE', 'L1', { next: [op('O3')] }),
      wc('BLK', 'L2', { active: [op('O4', { status: 'running', quantityGood: 1 })] }),
      wc('DOWN', 'L2'),
    ];
    const tiles = tilesFromFloor(floor, [alert('BLK', 'material'), alert('DOWN', 'breakdown')], now);
    expect(tiles.map((t) => [t.code, t.state])).toEqual([
      ['RUN', 'running'],
      ['SET', 'setup'],
      ['IDLE', 'idle'],
      ['BLK', 'blocked'],
      ['DOWN', 'down'],
    ]);
    expect(tiles[2]!.next?.order).toBe('O3');
    expect(tiles[0]!.current[0]!.info?.operationCount).toBe(3);
  });

  it('filters by the board configuration (lines and work centers), alerts with them', () => {
    const floor = [wc('A', 'L1'), wc('B', 'L2'), wc('C', 'L3')];
    const board = floorForBoard(floor, { lines: ['L1'], workCenters: ['C'] });
    expect(board.map((w) => w.code)).toEqual(['A', 'C']);
    expect(floorForBoard(floor, { lines: [], workCenters: [] })).toHaveLength(3);
    expect(andonsForBoard([alert('A', 'other'), alert('B', 'other')], board).map((a) => a.workCenter)).toEqual(['A']);
  });

  it('applies progress: start moves next -> active, quantities update, completion removes', () => {
    let floor = [wc('A', 'L1', { next: [op('O1')] })];
    ({ floor } = applyProgressToFloor(floor, progress({ type: 'operation.started', status: 'running' })));
    expect(floor[0]!.next).toHaveLength(0);
    expect(floor[0]!.active[0]).toMatchObject({ order: 'O1', status: 'running', productName: 'Part', startedAt: '2026-03-02T02:00:00Z' });
    ({ floor } = applyProgressToFloor(floor, progress({ quantityGood: 7, quantityScrap: 1 })));
    expect(floor[0]!.active[0]).toMatchObject({ quantityGood: 7, quantityScrap: 1 });
    const done = applyProgressToFloor(floor, progress({ type: 'operation.completed', status: 'completed', quantityGood: 50 }));
    expect(done.floor[0]!.active).toHaveLength(0);
    expect(done.missing).toBe(false);
  });

  it('flags an operation the snapshot did not know, so the board re-fetches', () => {
    const result = applyProgressToFloor([wc('A', 'L1')], progress({ order: 'NEW', status: 'running' }));
    expect(result.missing).toBe(true);
    expect(result.floor[0]!.active[0]!.order).toBe('NEW');
    expect(tilesFromFloor(result.floor, [], now)[0]!.current[0]!.info).toBeNull();
  });

  it('marks a tile late to start from the stream notice (once, earliest first) until the operation starts', () => {
    const notice = (order: string, plannedStart: string) => ({ order, seq: 1, workCenter: 'A', machine: 1, plannedStart, minutesLate: 15 });
    let floor = [wc('A', 'L1', { next: [op('O1'), op('O2')] }), wc('B', 'L1')];
    floor = markLateStart(floor, notice('O2', '2026-03-02T02:30:00Z'));
    floor = markLateStart(floor, notice('O1', '2026-03-02T02:00:00Z'));
    floor = markLateStart(floor, notice('O1', '2026-03-02T02:00:00Z'));
    expect(tilesFromFloor(floor, [], now).map((t) => [t.code, t.lateStarts.map((l) => l.order)])).toEqual([
      ['A', ['O1', 'O2']],
      ['B', []],
    ]);
    floor = applyProgressToFloor(floor, progress({ order: 'O1', workCenter: 'A', type: 'operation.started', status: 'running' })).floor;
    expect(tilesFromFloor(floor, [], now)[0]!.lateStarts).toEqual([{ order: 'O2', seq: 1, minutesLate: 15 }]);
  });
});
