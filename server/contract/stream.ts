import * as z from 'zod/mini';
import { AndonView } from './andon.ts';
import { NotificationView } from './notifications.ts';
import { PinView } from './plan.ts';
import { floorEventTypes } from './floor-events.ts';
import { operationStatuses } from './operation-transitions.ts';
import { LateReason, ScheduleProblem, ScheduleTrigger } from './schedule.ts';

/**
 * The stream's contract: one schema per topic, joined in a union on `topic`. The server's publish()
 * accepts only these shapes (at compile time), and the UI's live connection validates every message
 * against the same union once, so a listener gets a typed payload or nothing.
 */

export const ProgressData = z.object({
  order: z.string(),
  seq: z.number(),
  workCenter: z.string(),
  machine: z.nullable(z.number()),
  type: z.enum(floorEventTypes),
  status: z.enum(operationStatuses),
  quantityGood: z.number(),
  quantityScrap: z.number(),
  quantity: z.number(),
  operator: z.nullable(z.string()),
  at: z.string(),
});
export type ProgressData = z.infer<typeof ProgressData>;

export const andonEventTypes = ['andon.raised', 'andon.acknowledged', 'andon.resolved', 'andon.cancelled', 'andon.estimated', 'andon.escalated'] as const;
export type AndonEventType = (typeof andonEventTypes)[number];
export const AndonData = z.object({ type: z.enum(andonEventTypes), andon: AndonView });
export type AndonData = z.infer<typeof AndonData>;

/**
 * Cause ids of the requests made since the last saved plan that this plan covers, newest first,
 * bounded, without requests that had no cause (clock, startup). A message's `cause` is its trigger's
 * (the newest request's) cause. Messages stored before causes existed have none: an empty list.
 */
const Causes = z._default(z.array(z.string()), () => []);

export const ScheduleData = z.union([
  z.object({
    version: z.number(),
    computedAt: z.string(),
    trigger: ScheduleTrigger,
    causes: Causes,
    solveMs: z.number(),
    lateOrders: z.number(),
    operations: z.number(),
  }),
  z.object({ error: z.literal('infeasible'), errors: z.array(ScheduleProblem), trigger: ScheduleTrigger, causes: Causes }),
]);
export type ScheduleData = z.infer<typeof ScheduleData>;

export const EtaChange = z.object({
  order: z.string(),
  eta: z.nullable(z.string()),
  previousEta: z.nullable(z.string()),
  dueAt: z.string(),
  late: z.boolean(),
  latenessMinutes: z.nullable(z.number()),
  reasons: z.array(LateReason),
  /** The sampled P50 / P90 (null until sampled; absent in messages stored before they existed). */
  etaP50: z._default(z.nullable(z.string()), null),
  etaP90: z._default(z.nullable(z.string()), null),
});
export type EtaChange = z.infer<typeof EtaChange>;

export const EtaData = z.object({ version: z.number(), causes: Causes, changes: z.array(EtaChange) });
export type EtaData = z.infer<typeof EtaData>;

export const OrderData = z.discriminatedUnion('type', [
  z.object({ type: z.literal('order.created'), order: z.string(), product: z.string(), quantity: z.number(), dueAt: z.string() }),
  z.object({ type: z.literal('order.completed'), order: z.string() }),
  /** Due date, release or priority changed (PATCH /orders/{code}); the ETA follows with the plan. */
  z.object({ type: z.literal('order.updated'), order: z.string(), dueAt: z.string(), releaseAt: z.nullable(z.string()), priority: z.number() }),
]);
export type OrderData = z.infer<typeof OrderData>;

/**
 * pin.created: committed (or restored by an undo); pin.removed: unpinned, replaced, undone or its
 * operation completed (the note says which); pin.unhonourable: the plan can no longer keep it as
 * asked (the note says why); pin.honoured: an unhonourable pin is kept again.
 */
export const pinEventTypes = ['pin.created', 'pin.removed', 'pin.unhonourable', 'pin.honoured'] as const;
export const PinData = z.object({ type: z.enum(pinEventTypes), pin: PinView });
export type PinData = z.infer<typeof PinData>;

export const topicData = {
  progress: ProgressData,
  andon: AndonData,
  schedule: ScheduleData,
  eta: EtaData,
  order: OrderData,
  notification: NotificationView,
  pin: PinData,
} as const;
export const streamTopics = ['progress', 'andon', 'schedule', 'eta', 'order', 'notification', 'pin'] as const satisfies readonly (keyof typeof topicData)[];
export type StreamTopic = (typeof streamTopics)[number];
export type TopicData<T extends StreamTopic> = z.infer<(typeof topicData)[T]>;

/**
 * One Server-Sent Events message. `id` is monotonic across the installation (also the SSE id),
 * `cause` is the id of the floor event / andon / order that caused it, `emittedAt` the server time.
 */
const envelope = { id: z.number(), plant: z.string(), cause: z.nullable(z.string()), emittedAt: z.string() };
export const StreamMessage = z.discriminatedUnion('topic', [
  z.object({ ...envelope, topic: z.literal('progress'), data: ProgressData }),
  z.object({ ...envelope, topic: z.literal('andon'), data: AndonData }),
  z.object({ ...envelope, topic: z.literal('schedule'), data: ScheduleData }),
  z.object({ ...envelope, topic: z.literal('eta'), data: EtaData }),
  z.object({ ...envelope, topic: z.literal('order'), data: OrderData }),
  z.object({ ...envelope, topic: z.literal('notification'), data: NotificationView }),
  z.object({ ...envelope, topic: z.literal('pin'), data: PinData }),
]);
export type StreamMessage = z.infer<typeof StreamMessage>;
export type StreamMessageOf<T extends StreamTopic> = Extract<StreamMessage, { topic: T }>;

/**
 * Sent (as SSE event `reset`) when a resume is too far behind to replay: the client re-fetches its
 * snapshots and continues after `resumeFrom`.
 */
export const StreamReset = z.object({ reason: z.string(), resumeFrom: z.number() });
export type StreamReset = z.infer<typeof StreamReset>;

/** What a server writes: the topic and its payload; the outbox adds id, plant and time. */
export type OutgoingMessage = { [T in StreamTopic]: { topic: T; cause: string | null; data: TopicData<T> } }[StreamTopic];

/**
 * A plan's ETA changes as `eta` messages of at most ETA_CHANGES_PER_MESSAGE changes each: a re-plan of
 * thousands of orders must not make one frame every board has to parse at once.
 */
export const ETA_CHANGES_PER_MESSAGE = 500;

export function etaMessages(data: Omit<EtaData, 'changes'>, changes: readonly EtaChange[], cause: string | null): OutgoingMessage[] {
  const messages: OutgoingMessage[] = [];
  for (let i = 0; i < changes.length; i += ETA_CHANGES_PER_MESSAGE) {
    messages.push({ topic: 'eta', cause, data: { ...data, changes: changes.slice(i, i + ETA_CHANGES_PER_MESSAGE) } });
  }
  return messages;
}
