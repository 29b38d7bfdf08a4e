import type { AndonView } from '$contract/andon.ts';
import type { Board } from '$contract/boards.ts';
import type { LateStartNoticeData } from '$contract/notifications.ts';
import type { ProgressData } from '$contract/stream.ts';
import type { OperationOnFloor, WorkCenterStatus } from '$contract/floor.ts';
import type { FloorOperation } from './floor-model.ts';
import { workCenterState, type WorkCenterTile } from './work-center-tiles.ts';

/**
 * The TV board's model: GET /floor (one request for every work center) plus the live messages
 * applied on top until the next snapshot. Pure functions, tested without a DOM.
 */

/** What a board shows when it has no configuration of its own (the whole plant). */
export const wholePlantBoard: Board = { code: 'ALL', name: '', lines: [], workCenters: [], pageSeconds: 15, sound: true, layout: 'tiles' };

/** The board's work centers: its lines in full plus its listed work centers; nothing listed = all. */
export function floorForBoard<T extends Pick<WorkCenterStatus, 'code' | 'line'>>(floor: T[], board: Pick<Board, 'lines' | 'workCenters'>): T[] {
  if (board.lines.length === 0 && board.workCenters.length === 0) return floor;
  return floor.filter((w) => board.lines.includes(w.line) || board.workCenters.includes(w.code));
}

export function andonsForBoard(andons: AndonView[], floor: WorkCenterStatus[]): AndonView[] {
  const codes = new Set(floor.map((w) => w.code));
  return andons.filter((a) => codes.has(a.workCenter));
}

const toFloorOperation = (wc: string, op: OperationOnFloor): FloorOperation => ({
  order: op.order,
  seq: op.seq,
  workCenter: wc,
  status: op.status,
  quantity: op.quantity,
  quantityGood: op.quantityGood,
  quantityScrap: op.quantityScrap,
  machine: op.machine,
  startedAt: op.startedAt,
  setupMinutes: op.setupMinutes,
});

// An operation first seen through the stream has no product or routing yet: show it without them.
const infoOf = (op: OperationOnFloor) =>
  op.operations > 0 ? { code: op.order, productName: op.productName, customer: null, operationCount: op.operations } : null;

/** One tile per work center, in line then code order (the server's order). */
export function tilesFromFloor(floor: WorkCenterStatus[], andons: AndonView[], now: number): WorkCenterTile[] {
  return floor.map((wc) => {
    const active = [...wc.active].sort(
      (a, b) => Number(b.status === 'running') - Number(a.status === 'running') || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''),
    );
    const current = active.map((op) => ({ operation: toFloorOperation(wc.code, op), info: infoOf(op) }));
    const ops = current.map((c) => c.operation);
    const open = andons.filter((a) => a.workCenter === wc.code);
    const next = wc.next[0];
    return {
      code: wc.code,
      name: wc.name,
      line: wc.line,
      machines: wc.machines,
      state: workCenterState(ops, open, now),
      current,
      next: next ? { order: next.order, seq: next.seq, start: next.plannedStart ?? '', info: infoOf(next) } : null,
      alerts: open.length,
      lateStarts: wc.lateStarts.map((l) => ({ order: l.order, seq: l.seq, minutesLate: l.minutesLate })),
    };
  });
}

/**
 * Applies one progress message to the snapshot. Returns the new floor and whether the snapshot
 * lacked the operation (then the caller re-fetches: the product name and routing length are unknown).
 */
export function applyProgressToFloor(floor: WorkCenterStatus[], p: ProgressData): { floor: WorkCenterStatus[]; missing: boolean } {
  const index = floor.findIndex((w) => w.code === p.workCenter);
  const wc = floor[index];
  if (!wc) return { floor, missing: false };
  const same = (op: OperationOnFloor) => op.order === p.order && op.seq === p.seq;
  const known = wc.active.find(same) ?? wc.next.find(same) ?? null;
  const active = wc.active.filter((op) => !same(op));
  const next = wc.next.filter((op) => !same(op));
  const status = p.status === 'running' || p.status === 'paused' || p.status === 'pending' ? p.status : null;
  if (status === 'running' || status === 'paused') {
    const base: OperationOnFloor = known ?? {
      order: p.order,
      seq: p.seq,
      operations: 0,
      product: '',
      productName: '',
      status,
      machine: p.machine,
      quantity: p.quantity,
      quantityGood: 0,
      quantityScrap: 0,
      setupMinutes: 0,
      startedAt: null,
      plannedStart: null,
      plannedEnd: null,
      dueAt: p.at,
      late: false,
    };
    active.push({
      ...base,
      status,
      machine: p.machine ?? base.machine,
      quantity: p.quantity,
      quantityGood: p.quantityGood,
      quantityScrap: p.quantityScrap,
      startedAt: base.startedAt ?? (status === 'running' ? p.at : null),
    });
  } else if (status === 'pending' && known) {
    next.unshift({ ...known, status, quantityGood: p.quantityGood, quantityScrap: p.quantityScrap });
  }
  // Started (or done): no longer late to start.
  const lateStarts = status === 'pending' ? wc.lateStarts : wc.lateStarts.filter((l) => !(l.order === p.order && l.seq === p.seq));
  const copy = [...floor];
  copy[index] = { ...wc, active, next, lateStarts };
  return { floor: copy, missing: known === null && status !== null && status !== 'pending' };
}

/** A late-start notice as it arrives on the stream: the work center's tile is marked until the operation starts. */
export function markLateStart(floor: WorkCenterStatus[], notice: LateStartNoticeData): WorkCenterStatus[] {
  return floor.map((wc) => {
    if (wc.code !== notice.workCenter || wc.lateStarts.some((l) => l.order === notice.order && l.seq === notice.seq)) return wc;
    const mark = { order: notice.order, seq: notice.seq, machine: notice.machine, plannedStart: notice.plannedStart, minutesLate: notice.minutesLate };
    return { ...wc, lateStarts: [...wc.lateStarts, mark].sort((a, b) => a.plannedStart.localeCompare(b.plannedStart)) };
  });
}
