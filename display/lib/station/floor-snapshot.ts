import type { AndonView } from '$contract/andon.ts';
import type { WorkCenter } from '$contract/master-data.ts';
import type { ScheduledOperationView } from '$contract/schedule.ts';
import type { FloorOperation, OrderInfo } from '../board/floor-model.ts';

/**
 * The last floor state a station saw, kept on the device: after a reload without network the
 * operator still sees the job and the queue the pending presses belong to.
 */
export interface FloorSnapshot {
  savedAt: number;
  workCenters: WorkCenter[];
  schedule: ScheduledOperationView[];
  scheduleVersion: number | null;
  andons: AndonView[];
  operations: FloorOperation[];
  orders: OrderInfo[];
}

const PREFIX = 'takt.floor-snapshot.';
const VERSION = 1;

export function saveFloorSnapshot(key: string, snapshot: FloorSnapshot, storage: Storage = localStorage): void {
  try {
    storage.setItem(PREFIX + key, JSON.stringify({ version: VERSION, snapshot }));
  } catch {
    // storage full or disabled: the live screen does not depend on it
  }
}

export function readFloorSnapshot(key: string, storage: Storage = localStorage): FloorSnapshot | null {
  try {
    const parsed = JSON.parse(storage.getItem(PREFIX + key) ?? 'null') as { version?: number; snapshot?: FloorSnapshot } | null;
    if (parsed?.version !== VERSION || !parsed.snapshot || !Array.isArray(parsed.snapshot.operations)) return null;
    return parsed.snapshot;
  } catch {
    return null;
  }
}
