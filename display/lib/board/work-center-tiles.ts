import { stopsWorkCenter } from '$contract/andon-effects.ts';
import type { AndonView } from '$contract/andon.ts';
import type { FloorOperation, OrderInfo } from './floor-model.ts';

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
  /** Operations told late to start and not started yet, earliest first: the tile's mark. */
  lateStarts: { order: string; seq: number; minutesLate: number }[];
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
