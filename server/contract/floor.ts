/** GET /api/v1/floor: the live state of every work center, what a TV board or station shows. */
export interface OperationOnFloor {
  order: string;
  seq: number;
  /** Routing length, to show "3/7". */
  operations: number;
  product: string;
  productName: string;
  status: 'running' | 'paused' | 'pending';
  machine: number | null;
  quantity: number;
  quantityGood: number;
  quantityScrap: number;
  setupMinutes: number;
  startedAt: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  dueAt: string;
  late: boolean;
}

export interface WorkCenterStatus {
  code: string;
  name: string;
  line: string;
  machines: number;
  /** running and paused operations: what is on the machines now */
  active: OperationOnFloor[];
  /** the next planned operations, in the scheduler's order */
  next: OperationOnFloor[];
  openAndon: { id: string; reason: string; raisedAt: string; state: string }[];
}

/** GET /api/v1/plants */
export type { PlantView } from './plants.ts';
