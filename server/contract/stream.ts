import * as z from 'zod/mini';

export const streamTopics = ['progress', 'andon', 'schedule', 'eta', 'order', 'notification'] as const;
export type StreamTopic = (typeof streamTopics)[number];

/**
 * One Server-Sent Events message. `id` is monotonic across the installation (also the SSE id),
 * `cause` is the id of the floor event / andon / order that caused it, `emittedAt` the server time.
 */
export const StreamMessage = z.object({
  id: z.number(),
  topic: z.enum(streamTopics),
  plant: z.string(),
  cause: z.nullable(z.string()),
  emittedAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type StreamMessage = z.infer<typeof StreamMessage>;

/** Payloads per topic (what `data` holds). */
export interface ProgressData {
  order: string;
  seq: number;
  workCenter: string;
  machine: number | null;
  type: string;
  status: string;
  quantityGood: number;
  quantityScrap: number;
  quantity: number;
  operator: string | null;
  at: string;
}

export interface EtaChange {
  order: string;
  eta: string | null;
  previousEta: string | null;
  dueAt: string;
  late: boolean;
  latenessMinutes: number | null;
  reasons: unknown[];
}

export interface EtaData {
  version: number;
  changes: EtaChange[];
}

export interface ScheduleData {
  version: number;
  computedAt: string;
  trigger: { kind: string; causeId: string | null };
  solveMs: number;
  lateOrders: number;
  operations: number;
}
