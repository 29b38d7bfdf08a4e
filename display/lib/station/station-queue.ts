import type { ScheduledOperationView } from '$contract/schedule.ts';
import { operationKey, type FloorOperation, type OrderInfo } from '../board/floor-model.ts';

export interface StationJob {
  key: string;
  order: string;
  seq: number;
  planned: { machine: number; start: string; end: string } | null;
  operation: FloorOperation | null;
  info: OrderInfo | null;
}

/**
 * The station's view of its work center: jobs in progress (running first), then the queue in the
 * scheduler's planned order. Finished operations drop out even before the next plan arrives.
 */
export function stationJobs(input: {
  workCenter: string;
  schedule: ScheduledOperationView[];
  operations: ReadonlyMap<string, FloorOperation>;
  orders: ReadonlyMap<string, OrderInfo>;
}): { active: StationJob[]; queue: StationJob[] } {
  const plannedByKey = new Map(
    input.schedule.filter((s) => s.workCenter === input.workCenter).map((s) => [operationKey(s.order, s.seq), s] as const),
  );
  const job = (key: string, order: string, seq: number): StationJob => {
    const plan = plannedByKey.get(key);
    return {
      key,
      order,
      seq,
      planned: plan ? { machine: plan.machine, start: plan.start, end: plan.end } : null,
      operation: input.operations.get(key) ?? null,
      info: input.orders.get(order) ?? null,
    };
  };
  const active = [...input.operations.values()]
    .filter((op) => op.workCenter === input.workCenter && (op.status === 'running' || op.status === 'paused'))
    .sort((a, b) => Number(b.status === 'running') - Number(a.status === 'running') || (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
    .map((op) => job(operationKey(op.order, op.seq), op.order, op.seq));
  const activeKeys = new Set(active.map((j) => j.key));
  const queue = [...plannedByKey.entries()]
    .filter(([key]) => !activeKeys.has(key) && input.operations.get(key)?.status !== 'completed')
    .map(([key, s]) => job(key, s.order, s.seq));
  return { active, queue };
}
