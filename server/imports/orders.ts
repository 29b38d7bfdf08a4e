import { ApiError } from '../contract/errors.ts';
import { OrderBody } from '../contract/orders.ts';
import { parseWith } from '../http/validate.ts';
import { createOrder } from '../orders/service.ts';
import { isBlank, number, plantInstant, text } from './cells.ts';
import { BodyReader, duplicateOf, type ImportRecord, type Importer, type SheetRow } from './record.ts';

/** The column of each body field (a quote has none: an import does not take quotes). */
const columnOfField: Record<string, string> = { code: 'order', product: 'product', quantity: 'quantity', dueAt: 'dueAt', releaseAt: 'releaseAt', priority: 'priority', customer: 'customer' };

/**
 * Orders: one row each, created as POST /orders creates them (operations from the routing, the
 * event, the re-plan). An order already stored with the same values is unchanged; one stored with
 * other values is a problem, since an order on the floor is not rewritten by a spreadsheet.
 */
export const orderImporter: Importer = {
  records(rows, timeZone) {
    const seen = new Map<string, number>();
    return rows.map((row) => orderRecord(row, timeZone, seen));
  },
};

function orderRecord(row: SheetRow, timeZone: string, seen: Map<string, number>): ImportRecord {
  const reader = new BodyReader(row);
  reader.put('order', 'code', (c) => ({ value: text(c) }));
  reader.put('product', 'product', (c) => ({ value: text(c) }));
  reader.put('quantity', 'quantity', number);
  reader.put('dueAt', 'dueAt', (c) => plantInstant(c, timeZone, 'end'));
  reader.put('releaseAt', 'releaseAt', (c) => plantInstant(c, timeZone, 'start'));
  reader.put('priority', 'priority', number);
  reader.put('customer', 'customer', (c) => ({ value: text(c) }));
  const code = row.cells.get('order');
  if (code !== undefined && !isBlank(code)) {
    const first = duplicateOf(seen, text(code), row.row);
    if (first !== undefined) reader.problems.push({ spot: { row: row.row, key: 'order' }, message: `order '${text(code)}' is also on row ${first}` });
  }
  return {
    firstRow: row.row,
    problems: reader.problems,
    locate: (field) => ({ row: row.row, key: columnOfField[field] ?? null }),
    async apply(trx, actor, now) {
      const body = parseWith(OrderBody, reader.body);
      const stored = await trx
        .selectFrom('customer_order')
        .select(['product_code', 'quantity', 'due_at', 'release_at', 'priority', 'customer'])
        .where('plant_id', '=', actor.plantId)
        .where('code', '=', body.code)
        .executeTakeFirst();
      if (!stored) {
        await createOrder(trx, actor, body, now);
        return 'created';
      }
      const differs: [string, unknown, unknown][] = [
        ['product', stored.product_code, body.product],
        ['quantity', stored.quantity, body.quantity],
        ['dueAt', stored.due_at.toISOString(), new Date(body.dueAt!).toISOString()],
        ['releaseAt', stored.release_at?.toISOString() ?? null, body.releaseAt ? new Date(body.releaseAt).toISOString() : null],
        ['priority', stored.priority, body.priority],
        ['customer', stored.customer, body.customer ?? null],
      ];
      const changed = differs.find(([, was, now]) => was !== now);
      if (!changed) return 'unchanged';
      const [field, was] = changed;
      throw ApiError.invalid(field, `order '${body.code}' exists with ${field} ${was === null ? 'empty' : String(was)}; an import creates orders and does not change them`);
    },
  };
}
