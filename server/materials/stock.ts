import { sql } from 'kysely';
import type { BelowReorderData } from '../contract/notifications.ts';
import type { OutgoingMessage } from '../contract/stream.ts';
import type { Trx } from '../db/connect.ts';
import { jsonb } from '../db/jsonb.ts';
import { selectNotifications, toNotificationView } from '../db/repositories/notifications.ts';

/**
 * The stock ledger: every change of on-hand is a stock_movement row, and component.on_hand moves with
 * it in the same statement's transaction. A crossing below the reorder point tells purchasing once;
 * coming back above re-arms it.
 */

interface Movement {
  component: string;
  kind: 'receipt' | 'backflush' | 'count';
  /** Signed. */
  quantity: number;
  at: Date;
  clientId: string | null;
  orderId?: string | null;
  seq?: number | null;
}

/** Appends the movements and moves on-hand; returns the notices of components that crossed below their reorder point. */
export async function moveStock(trx: Trx, plantId: number, movements: Movement[], cause: string | null): Promise<OutgoingMessage[]> {
  const moves = movements.filter((m) => m.quantity !== 0);
  if (!moves.length) return [];
  const byComponent = new Map<string, number>();
  for (const m of moves) byComponent.set(m.component, (byComponent.get(m.component) ?? 0) + m.quantity);
  const changes = [...byComponent].map(([component, delta]) => ({ component, delta })).sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0));
  // Rows locked in one order (by code) for every report: two presses whose BOMs list the same
  // components in another order must not deadlock (a deadlock would refuse a press). Locked before
  // the movements are inserted: their foreign key takes a key-share lock on the component, and two
  // presses each holding that share while asking for the row lock deadlock on a single component.
  // No-key-update is all the on-hand update needs, and it lets key-share lockers through.
  await trx
    .selectFrom('component')
    .select('code')
    .where('plant_id', '=', plantId)
    .where('code', 'in', changes.map((c) => c.component))
    .orderBy('code')
    .forNoKeyUpdate()
    .execute();
  await trx
    .insertInto('stock_movement')
    .values(moves.map((m) => ({ plant_id: plantId, component_code: m.component, kind: m.kind, quantity: m.quantity, at: m.at, client_id: m.clientId, order_id: m.orderId ?? null, seq: m.seq ?? null })))
    .execute();
  // Rounded to the micro-unit: decimal quantities per unit must not leave 1e-13 of a metre behind.
  await sql`
    update component c set on_hand = round((c.on_hand + x.delta)::numeric, 6)::double precision, updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(changes)}::text::jsonb) as x(component text, delta double precision)
    where c.plant_id = ${plantId} and c.code = x.component`.execute(trx);
  return settleReorder(trx, plantId, [...byComponent.keys()], moves[0]!.at, cause);
}

/**
 * Re-arms the components back at or above their reorder point, and tells purchasing of those newly
 * below it (once per crossing: the flag is set in the same update that finds them).
 */
export async function settleReorder(trx: Trx, plantId: number, components: string[], at: Date, cause: string | null): Promise<OutgoingMessage[]> {
  if (!components.length) return [];
  await trx
    .updateTable('component')
    .set({ below_reorder: false })
    .where('plant_id', '=', plantId)
    .where('code', 'in', components)
    .where('below_reorder', '=', true)
    .whereRef('on_hand', '>=', 'reorder_point')
    .execute();
  const crossed = await trx
    .updateTable('component')
    .set({ below_reorder: true })
    .where('plant_id', '=', plantId)
    .where('code', 'in', components)
    .where('below_reorder', '=', false)
    .whereRef('on_hand', '<', 'reorder_point')
    .returning(['code', 'on_hand', 'reorder_point', 'unit'])
    .execute();
  if (!crossed.length) return [];
  const inserted = await trx
    .insertInto('notification')
    .values(
      crossed.map((c) => ({
        plant_id: plantId,
        kind: 'material.below_reorder' as const,
        audience: 'purchasing' as const,
        andon_id: null,
        order_id: null,
        level: null,
        notify: null,
        data: jsonb<BelowReorderData>({ component: c.code, onHand: c.on_hand, reorderPoint: c.reorder_point, unit: c.unit }),
        created_at: at,
        read_at: null,
      })),
    )
    .returning('id')
    .execute();
  const rows = await selectNotifications(trx, plantId)
    .where('n.id', 'in', inserted.map((r) => r.id))
    .orderBy('n.id')
    .execute();
  return rows.map((row) => ({ topic: 'notification' as const, cause, data: toNotificationView(row) }));
}

/**
 * Backflush: a floor report of `units` (good plus scrap) at an operation consumes its product's BOM
 * lines at that seq. Called in the floor event's transaction, after its idempotency check, so a
 * duplicate press consumes nothing twice.
 */
export async function backflush(
  trx: Trx,
  plantId: number,
  report: { orderId: string; product: string; seq: number; units: number; at: Date; clientId: string },
): Promise<OutgoingMessage[]> {
  if (report.units <= 0) return [];
  const lines = await trx
    .selectFrom('bom_line')
    .select(['component_code', 'quantity_per_unit'])
    .where('plant_id', '=', plantId)
    .where('product_code', '=', report.product)
    .where('seq', '=', report.seq)
    .execute();
  return moveStock(
    trx,
    plantId,
    lines.map((l) => ({
      component: l.component_code,
      kind: 'backflush' as const,
      quantity: -(Math.round(report.units * l.quantity_per_unit * 1e6) / 1e6),
      at: report.at,
      clientId: report.clientId,
      orderId: report.orderId,
      seq: report.seq,
    })),
    report.clientId,
  );
}
