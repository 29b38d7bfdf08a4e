import type { Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';

export interface LogEntry {
  plantId: number;
  type: string;
  actor: string;
  at?: Date;
  subject?: string;
  clientId?: string;
  payload?: unknown;
}

/**
 * Appends to the event log. With a client id, a second append of the same id is refused and this
 * returns false: that is the idempotency check of floor events, settled by the unique index.
 */
export async function appendEvent(trx: Trx, entry: LogEntry): Promise<boolean> {
  const row = await trx
    .insertInto('event_log')
    .values({
      plant_id: entry.plantId,
      client_id: entry.clientId ?? null,
      type: entry.type,
      actor: entry.actor,
      at: entry.at ?? new Date(),
      subject: entry.subject ?? null,
      payload: jsonb(entry.payload ?? {}),
    })
    .onConflict((oc) => oc.columns(['plant_id', 'client_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
