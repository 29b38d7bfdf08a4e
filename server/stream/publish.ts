import { sql } from 'kysely';
import type { StreamTopic } from '../contract/stream.ts';
import type { Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';

export const STREAM_CHANNEL = 'takt_stream';
// Held until commit: stream ids are then handed out in commit order, so a reader that has seen id N
// has seen every id below N. This is what makes Last-Event-ID resume exact.
const STREAM_ORDER_LOCK = 7_411_002;

export interface OutgoingMessage {
  topic: StreamTopic;
  cause: string | null;
  data: Record<string, unknown>;
}

/** Queues stream messages inside the caller's transaction; they go out when (and only if) it commits. */
export async function publish(trx: Trx, plantId: number, messages: OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await sql`select pg_advisory_xact_lock(${STREAM_ORDER_LOCK})`.execute(trx);
  await trx
    .insertInto('stream_message')
    .values(
      messages.map((m) => ({
        plant_id: plantId,
        topic: m.topic,
        cause_id: m.cause,
        data: jsonb(m.data),
      })),
    )
    .execute();
  await sql`select pg_notify(${STREAM_CHANNEL}, '')`.execute(trx);
}
