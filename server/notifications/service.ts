import { lateStartReaders, ownAudienceOf, type NotificationAudience, type NotificationView } from '../contract/notifications.ts';
import type { Role } from '../contract/auth.ts';
import type { Queryable, Trx } from '../db/connect.ts';
import { selectNotifications, toNotificationView } from '../db/repositories/notifications.ts';
import { ApiError } from '../contract/errors.ts';
import type { OutgoingMessage } from '../contract/stream.ts';

type AndonKind = Extract<NotificationView, { andonId: string }>['kind'];

export async function listNotifications(
  db: Queryable,
  plantId: number,
  filter: { unread: boolean; limit: number; audience?: NotificationAudience; for?: { role: Role; name: string } },
): Promise<NotificationView[]> {
  let query = selectNotifications(db, plantId);
  if (filter.unread) query = query.where('n.read_at', 'is', null);
  if (filter.audience) query = query.where('n.audience', '=', filter.audience);
  else if (!filter.for) {
    // The whole feed's rule is contract/notifications.ts inWholeFeed: andon notices only as the floor's.
    query = query.where((eb) => eb.or([eb('n.andon_id', 'is', null), eb('n.audience', '=', 'floor')]));
  }
  if (filter.for) {
    // The caller's own notices: contract/notifications.ts ownAudienceOf.
    const { role, name } = filter.for;
    const own = ownAudienceOf(role);
    const names = [role, name.trim()].map((n) => n.toLowerCase());
    query = query.where((eb) =>
      eb.or([
        ...(own ? [eb('n.audience', '=', own)] : []),
        eb.and([eb('n.andon_id', 'is not', null), eb('n.audience', '=', 'floor'), eb(eb.fn('lower', [eb.fn('btrim', ['n.notify'])]), 'in', names)]),
        ...(lateStartReaders.includes(role) ? [eb('n.kind', '=', 'operation.late_start')] : []),
      ]),
    );
  }
  const rows = await query.orderBy('n.id', 'desc').limit(filter.limit).execute();
  return rows.map(toNotificationView);
}

/** Marks one notification read (the plant's feed is shared). Reading it twice keeps the first time. */
export async function markRead(trx: Trx, plantId: number, id: string, now: Date): Promise<NotificationView> {
  if (!/^\d{1,18}$/.test(id)) throw ApiError.notFound('notification', id);
  await trx.updateTable('notification').set({ read_at: now }).where('plant_id', '=', plantId).where('id', '=', id).where('read_at', 'is', null).execute();
  const row = await selectNotifications(trx, plantId).where('n.id', '=', id).executeTakeFirst();
  if (!row) throw ApiError.notFound('notification', id);
  return toNotificationView(row);
}

/**
 * Writes an andon notification inside the caller's transaction and returns the stream messages
 * announcing it, for the caller to publish with its own messages (one publish, one notify). The
 * floor is told of every alert; QC also of quality alerts (their holds to release), in a row of
 * their own so each department reads its feed at its own pace.
 */
export async function addNotification(
  trx: Trx,
  plantId: number,
  entry: { kind: AndonKind; andonId: string; level: number; notify: string; at: Date },
): Promise<OutgoingMessage[]> {
  const andon = await trx.selectFrom('andon').select('reason').where('id', '=', entry.andonId).executeTakeFirst();
  const audiences: NotificationAudience[] = andon?.reason === 'quality' ? ['floor', 'qc'] : ['floor'];
  const inserted = await trx
    .insertInto('notification')
    .values(audiences.map((audience) => ({ plant_id: plantId, kind: entry.kind, audience, andon_id: entry.andonId, level: entry.level, notify: entry.notify, created_at: entry.at, read_at: null })))
    .returning('id')
    .execute();
  const rows = await selectNotifications(trx, plantId).where('n.id', 'in', inserted.map((i) => i.id)).orderBy('n.id').execute();
  return rows.map((row) => ({ topic: 'notification', cause: entry.andonId, data: toNotificationView(row) }));
}
