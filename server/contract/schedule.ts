/** Why an order is late: structured so the UI phrases it in zh-CN or en. Mirrors the engine's type. */
export type LateReason =
  | { kind: 'queued'; seq: number; workCenter: string; behind: string[]; waitMinutes: number }
  | { kind: 'down'; seq: number; workCenter: string; until: string; downtimeId: string }
  | { kind: 'held'; seq: number; reason: 'material' | 'quality'; until: string; andonId?: string }
  | { kind: 'closed'; seq: number; workCenter: string; until: string }
  | { kind: 'released'; at: string }
  | { kind: 'work'; minutes: number }
  | { kind: 'overdue'; dueAt: string }; // the due date had passed before any of this

export interface ScheduleTrigger {
  kind: string; // e.g. 'floor_event', 'andon.raised', 'order.created', 'startup'
  causeId: string | null;
}

export interface ScheduledOperationView {
  order: string;
  seq: number;
  workCenter: string;
  machine: number;
  start: string;
  end: string;
}

export interface ScheduleView {
  version: number;
  computedAt: string;
  trigger: ScheduleTrigger;
  solveMs: number;
  figures: {
    weightedTardinessMinutes: number;
    lateOrders: number;
    makespan: string | null;
    movedOperations: number;
  };
  operations: ScheduledOperationView[];
}
