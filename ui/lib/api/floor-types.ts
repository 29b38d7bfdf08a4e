/**
 * Shapes of GET /api/v1/floor and GET /api/v1/plants. They mirror `server/work-centers/status.ts`
 * and `server/plants/routes.ts`, which are not in `server/contract/` yet (importing them would pull
 * server modules into the UI); move them there and delete this file when the backend does.
 */
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
  active: OperationOnFloor[];
  next: OperationOnFloor[];
  openAndon: { id: string; reason: string; raisedAt: string; state: string }[];
}

export interface PlantView {
  code: string;
  name: string;
  timeZone: string;
}
