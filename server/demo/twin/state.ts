import type { TwinAndonReason } from './model.ts';

/** The twin's factory in memory: what the database holds for the demo, as plain values. */
export interface TwinOperation {
  seq: number;
  workCenter: string;
  setupMinutes: number;
  runMinutesPerUnit: number;
  status: 'pending' | 'running' | 'done';
  machine?: number;
  startedAt?: number;
  /** Units made so far (fractional while one is in the machine). */
  doneUnits: number;
  /** Actual minutes drawn when the job first started; kept across a quality stop. */
  actual?: { setupLeft: number; perUnit: number };
  /** Working minutes the job has run since its start (for the observed rate the loader would see). */
  runMinutes: number;
  /**
   * Working minutes the machine spent on the job, set when it completes: what the floor's start and
   * complete reports show, less the time its machine stood broken down (that is the breakdown's).
   */
  workedMinutes?: number;
  /** Open material or quality alert holding it. */
  holdAndon?: string;
}

export interface TwinOrder {
  code: string;
  product: string;
  family: string;
  quantity: number;
  priority: number;
  arrivedAt: number;
  /** When its material is there: no job starts before. */
  releaseAt: number;
  dueAt: number;
  /** Created from an accepted quote: the plan keeps its date before others' (OrderInput.promised). */
  promised?: boolean;
  operations: TwinOperation[];
  completedAt?: number;
  /** The ETA of every plan that changed it: (plan time, eta). */
  etas: { at: number; eta: number }[];
}

export interface TwinAndon {
  id: string;
  reason: TwinAndonReason;
  workCenter: string;
  machine?: number;
  order?: string;
  seq?: number;
  raisedAt: number;
  expectedMinutes: number;
  acknowledgeAt: number;
  /** When the lead resolves it (the truth; the plan only knows the estimate). */
  resolveAt: number;
  acknowledged: boolean;
  resolved: boolean;
}

/** One sample per simulated hour. */
export interface TwinHour {
  at: number;
  inShift: boolean;
  openOrders: number;
  /** Open orders whose latest planned ETA is after their due date. */
  lateOrders: number;
  /** Of those, how many the plan gives a reason for. */
  lateWithReasons: number;
  /** Work centers with at least one running job. */
  busyWorkCenters: number;
  openAndons: number;
}
