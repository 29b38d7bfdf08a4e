import { sql } from 'kysely';
import type { OutgoingMessage, StreamTopic, TopicData } from '../contract/stream.ts';
import type { Trx } from '../db/connect.ts';

export const STREAM_CHANNEL = 'takt_stream';
// Held until commit: stream ids are then handed out in commit order, so a reader that has seen id N
// has seen every id below N. This is what makes Last-Event-ID resume exact.
const STREAM_ORDER_LOCK = 7_411_002;
// PostgreSQL refuses notification payloads of 8000 bytes or more.
const MAX_NOTIFY_BYTES = 7900;

/**
 * Queues stream messages inside the caller's transaction; they go out when (and only if) it commits.
 * One statement: take the ordering lock, insert, and notify. Small batches ride in the notification
 * itself, sparing every server a read per event; larger ones (a whole plan's ETA changes) are read
 * from the table by the hub.
 */
export async function publish(trx: Trx, plantId: number, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const batch = JSON.stringify(messages.map((m) => ({ topic: m.topic, cause: m.cause, data: m.data })));
  await sql`
    with ordered as (select pg_advisory_xact_lock(${STREAM_ORDER_LOCK})),
    inserted as (
      insert into stream_message (plant_id, topic, cause_id, data)
      select ${plantId}, x.e->>'topic', x.e->>'cause', x.e->'data'
      from ordered, jsonb_array_elements(${batch}::text::jsonb) with ordinality as x(e, n)
      order by x.n
      returning id, plant_id, topic, cause_id, emitted_at, data),
    payload as (
      select coalesce(json_agg(json_build_object(
        'id', id, 'plantId', plant_id, 'topic', topic, 'cause', cause_id, 'emittedAt', emitted_at, 'data', data) order by id)::text, '[]') as text
      from inserted)
    select pg_notify(${STREAM_CHANNEL}, case when octet_length(text) < ${MAX_NOTIFY_BYTES} then text else '' end) from payload`.execute(trx);
}

/** What a notification carries when the messages fit; publish() wrote it from the contract's types. */
export interface NotifiedMessage {
  id: number;
  plantId: number;
  topic: StreamTopic;
  cause: string | null;
  emittedAt: string;
  data: TopicData<StreamTopic>;
}
