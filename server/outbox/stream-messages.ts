import { sql } from 'kysely';
import type { OutgoingMessage, StreamTopic, TopicData } from '../contract/stream.ts';
import type { Trx } from '../db/connect.ts';

export const STREAM_CHANNEL = 'takt_stream';
// Held while the messages are inserted at commit: stream ids are then handed out in commit order, so
// a reader that has seen id N has seen every id below N. This is what makes Last-Event-ID resume exact.
// The lock, the insert and the notification are in takt_publish_stream() (migrations/0011, 0013).
export const STREAM_ORDER_LOCK = 7_411_002;

/**
 * Queues stream messages inside the caller's transaction; they go out when (and only if) it commits.
 * Only the intent is written here: the ids are handed out and the notification sent by a deferred
 * trigger inside COMMIT, so the ordering lock is never held across a round trip to this server.
 * Small batches ride in the notification itself, sparing every server a read per event; larger ones
 * (a whole plan's ETA changes) are read from the table by the hub.
 */
export async function publish(trx: Trx, plantId: number, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const batch = JSON.stringify(messages.map((m) => ({ topic: m.topic, cause: m.cause, data: m.data })));
  await sql`insert into stream_outbox (plant_id, messages) values (${plantId}, ${batch}::text::jsonb)`.execute(trx);
}

/**
 * What a notification carries when the messages fit (takt_publish_stream(), migrations/0013): the id
 * before the batch, and the messages, which publish() wrote from the contract's types.
 */
export interface NotifiedBatch {
  prevId: number;
  messages: NotifiedMessage[];
}

export interface NotifiedMessage {
  id: number;
  plantId: number;
  topic: StreamTopic;
  cause: string | null;
  emittedAt: string;
  data: TopicData<StreamTopic>;
}
