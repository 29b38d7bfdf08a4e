import type { NotificationView } from '../contract/escalation.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { ApiError } from '../contract/errors.ts';
import type { OutgoingMessage } from '../contract/stream.ts';

type Kind = NotificationView['kind'];

function selectNotifications(db: Queryable, plantId: number) {
  return db
    .selectFrom('notification as n')
    .innerJoin('andon as a', 'a.id', 'n.andon_id')
    .select(['n.id', 'n.kind', 'n.andon_id', 'n.level', 'n.notify', 'n.created_at', 'n.read_at', 'a.work_center_code', 'a.reason'])
    .where('n.plant_id', '=', plantId);
}

type Row = Awaited<ReturnType<ReturnType<typeof selectNotifications>['executeTakeFirstOrThrow']>>;

function toView(row: Row): NotificationView {
  return {
    id: Number(row.id),
    kind: row.kind,
    andonId: row.andon_id,
    workCenter: row.work_center_code,
    reason: row.reason,
    level: row.level,
    notify: row.notify,
    createdAt: row.created_at.toISOString(),
    readAt: row.read_at?.toISOString() ?? null,
  };
}

export async function listNotifications(db: Queryable, plantId: number, filter: { unread: boolean; limit: number }): Promise<NotificationView[]> {
  let query = selectNotifications(db, plantId);
  if (filter.unread) query = query.where('n.read_at', 'is', null);
  const rows = await query.orderBy('n.id', 'desc').limit(filter.limit).execute();
  return rows.map(toView);
}

/** Marks one notification read (the plant's feed is shared). Reading it twice keeps the first time. */
export async function markRead(trx: Trx, plantId: number, id: string, now: Date): Promise<NotificationView> {
  if (!/^\d{1,18}$/.test(id)) throw ApiError.notFound('notification', id);
  await trx.updateTable('notification').set({ read_at: now }).where('plant_id', '=', plantId).where('id', '=', id).where('read_at', 'is', null).execute();
  const row = await selectNotifications(trx, plantId).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw ApiError.notFound('notification', id);
  return toView(row);
}

/**
 * Writes a notification inside the caller's transaction and returns the stream message announcing
 * it, for the caller to publish with its own messages (one publish, one notify).
 */
export async function addNotification(
  trx: Trx,
  plantId: number,
  entry: { kind: Kind; andonId: string; level: number; notify: string; at: Date },
): Promise<OutgoingMessage> {
  const inserted = await trx
    .insertInto('notification')
    .values({ plant_id: plantId, kind: entry.kind, andon_id: entry.andonId, level: entry.level, notify: entry.notify, created_at: entry.at, read_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await selectNotifications(trx, plantId).where('n.id', '=', inserted.id).executeTakeFirstOrThrow();
  return { topic: 'notification', cause: entry.andonId, data: toView(row) };
}
