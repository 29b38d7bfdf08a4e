import { stopsWorkCenter } from '$contract/andon-effects.ts';
import type { AndonView } from '$contract/andon.ts';
import type { WorkCenter } from '$contract/master-data.ts';
import type { ScheduledOperationView } from '$contract/schedule.ts';
import { operationKey, type FloorOperation, type OrderInfo } from './floor-model.ts';

export type WorkCenterState = 'running' | 'setup' | 'idle' | 'blocked' | 'down';

export interface TileJob {
  operation: FloorOperation;
  info: OrderInfo | null;
}

export interface WorkCenterTile {
  code: string;
  name: string;
  line: string;
  machines: number;
  state: WorkCenterState;
  /** Operations running or paused here, running first. */
  current: TileJob[];
  next: { order: string; seq: number; start: string; info: OrderInfo | null } | null;
  alerts: number;
}

export interface BoardLine {
  line: string;
  tiles: WorkCenterTile[];
}

/**
 * A started operation with nothing reported yet, still inside its setup allowance, is in setup.
 * When the setup allowance is unknown (an operation first seen through the stream), "nothing reported
 * yet" alone decides.
 */
function isInSetup(op: FloorOperation, now: number): boolean {
  if (op.status !== 'running' || op.quantityGood + op.quantityScrap > 0) return false;
  if (!op.startedAt || op.setupMinutes === null) return true;
  return now < new Date(op.startedAt).getTime() + op.setupMinutes * 60_000;
}

export function workCenterState(active: FloorOperation[], openAndons: AndonView[], now: number): WorkCenterState {
  // Down when an alert stops the work center (the planner reads the same table); any other open alert blocks the work.
  if (openAndons.some((a) => stopsWorkCenter(a.reason))) return 'down';
  if (openAndons.length > 0) return 'blocked';
  const running = active.filter((op) => op.status === 'running');
  if (running.length === 0) return 'idle';
  return running.every((op) => isInSetup(op, now)) ? 'setup' : 'running';
}

export function buildBoard(input: {
  workCenters: WorkCenter[];
  operations: ReadonlyMap<string, FloorOperation>;
  schedule: ScheduledOperationView[];
  andons: AndonView[];
  orders: ReadonlyMap<string, OrderInfo>;
  now: number;
}): BoardLine[] {
  const activeByWc = new Map<string, FloorOperation[]>();
  for (const op of input.operations.values()) {
    if (op.status !== 'running' && op.status !== 'paused') continue;
    const list = activeByWc.get(op.workCenter) ?? [];
    list.push(op);
    activeByWc.set(op.workCenter, list);
  }
  const lines = new Map<string, WorkCenterTile[]>();
  for (const wc of input.workCenters) {
    const active = (activeByWc.get(wc.code) ?? []).sort(
      (a, b) => Number(b.status === 'running') - Number(a.status === 'running') || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''),
    );
    const andons = input.andons.filter((a) => a.workCenter === wc.code);
    const activeKeys = new Set(active.map((op) => operationKey(op.order, op.seq)));
    // The plan may still list an operation finished since it was computed: skip it until the next plan.
    const upcoming = input.schedule.find(
      (s) =>
        s.workCenter === wc.code &&
        !activeKeys.has(operationKey(s.order, s.seq)) &&
        input.operations.get(operationKey(s.order, s.seq))?.status !== 'completed',
    );
    const tile: WorkCenterTile = {
      code: wc.code,
      name: wc.name,
      line: wc.line,
      machines: wc.machines,
      state: workCenterState(active, andons, input.now),
      current: active.map((operation) => ({ operation, info: input.orders.get(operation.order) ?? null })),
      next: upcoming ? { order: upcoming.order, seq: upcoming.seq, start: upcoming.start, info: input.orders.get(upcoming.order) ?? null } : null,
      alerts: andons.length,
    };
    const list = lines.get(wc.line) ?? [];
    list.push(tile);
    lines.set(wc.line, list);
  }
  return [...lines].map(([line, tiles]) => ({ line, tiles }));
}
