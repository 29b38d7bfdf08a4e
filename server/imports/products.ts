import { Code } from '../contract/common.ts';
import { ProductBody, type Product } from '../contract/master-data.ts';
import { parseWith } from '../http/validate.ts';
import { listProducts, putProduct } from '../master-data/service.ts';
import { isBlank, number, text } from './cells.ts';
import { BodyReader, type ImportRecord, type Importer, type SheetRow, type Spot } from './record.ts';

/**
 * Products with routings and BOMs in one flat sheet: a `step` row per routing step and a `bom` row
 * per bill-of-materials line, grouped by product code wherever they stand. A product's rows together
 * are the body of PUT /products/{code}: its routing is replaced, and its BOM too when it has bom rows
 * (none: the BOM it has is kept, as an absent `bom` keeps it).
 */
export const productImporter: Importer = {
  records(rows) {
    const groups = new Map<string, SheetRow[]>();
    for (const row of rows) {
      const cell = row.cells.get('product');
      const code = cell === undefined || isBlank(cell) ? '' : text(cell);
      groups.set(code, [...(groups.get(code) ?? []), row]);
    }
    return [...groups].flatMap(([code, group]) => (code ? [productRecord(code, group)] : group.map((row) => productRecord('', [row]))));
  },
};

const stepFields = ['seq', 'workCenter', 'setupMinutes', 'runMinutesPerUnit', 'minTransferMinutes', 'description'] as const;
const bomFields = ['component', 'quantityPerUnit', 'seq'] as const;

function typeOf(row: SheetRow): 'step' | 'bom' | null {
  const cell = row.cells.get('type');
  const given = cell === undefined || isBlank(cell) ? '' : text(cell).toLowerCase();
  if (given === '') return isBlank(row.cells.get('component')) ? 'step' : 'bom';
  if (given === 'step' || given === '工序') return 'step';
  if (given === 'bom' || given === '物料') return 'bom';
  return null;
}

function productRecord(code: string, rows: SheetRow[]): ImportRecord {
  const problems: ImportRecord['problems'] = [];
  const steps: { row: SheetRow; body: Record<string, unknown> }[] = [];
  const bom: { row: SheetRow; body: Record<string, unknown> }[] = [];
  const head: Record<string, unknown> = {};
  const headRow: Record<string, number> = {};
  for (const row of rows) {
    const type = typeOf(row);
    if (type === null) {
      problems.push({ spot: { row: row.row, key: 'type' }, message: `type must be step or bom, not '${text(row.cells.get('type')!)}'` });
      continue;
    }
    for (const field of ['name', 'family'] as const) {
      const cell = row.cells.get(field);
      if (cell === undefined || isBlank(cell)) continue;
      const value = text(cell);
      if (headRow[field] === undefined) {
        head[field] = value;
        headRow[field] = row.row;
      } else if (head[field] !== value) {
        problems.push({ spot: { row: row.row, key: field }, message: `product '${code}' has ${field} '${String(head[field])}' on row ${headRow[field]}` });
      }
    }
    const reader = new BodyReader(row);
    const fields = type === 'step' ? stepFields : bomFields;
    for (const field of fields) {
      if (field === 'workCenter' || field === 'description' || field === 'component') reader.put(field, field, (c) => ({ value: text(c) }));
      else reader.put(field, field, number);
    }
    problems.push(...reader.problems);
    (type === 'step' ? steps : bom).push({ row, body: reader.body });
  }
  const first = rows[0]!;
  const rowOf = (list: { row: SheetRow }[], index: string | undefined) => list[Number(index)]?.row.row ?? list[0]?.row.row ?? first.row;
  const locate = (field: string): Spot => {
    const [top, index, key] = field.split('.');
    if (top === 'code') return { row: first.row, key: 'product' };
    if (top === 'name' || top === 'family') return { row: headRow[top] ?? first.row, key: top };
    if (top === 'routing' && index === undefined) return { row: gapRow(steps) ?? first.row, key: 'seq', whole: true };
    if (top === 'routing') return { row: rowOf(steps, index), key: key ?? 'seq' };
    if (top === 'bom') return { row: rowOf(bom, index), key: key ?? 'component', ...(index === undefined ? { whole: true as const } : {}) };
    return { row: first.row, key: null };
  };
  return {
    firstRow: first.row,
    problems,
    locate,
    async apply(trx, actor) {
      const checked = parseWith(Code, code || undefined, 'code');
      const body = parseWith(ProductBody, { ...head, routing: steps.map((s) => s.body), ...(bom.length ? { bom: bom.map((l) => l.body) } : {}) });
      const [stored] = await listProducts(trx, actor.plantId, checked);
      if (stored && sameProduct(stored, body)) return 'unchanged';
      await putProduct(trx, actor, checked, body);
      return stored ? 'updated' : 'created';
    },
  };
}

/** The step row where numbering 1..n first breaks (a gap, or a first step that is not 1). */
function gapRow(steps: { row: SheetRow; body: Record<string, unknown> }[]): number | undefined {
  const sorted = steps.toSorted((a, b) => Number(a.body.seq) - Number(b.body.seq));
  return sorted.find((s, i) => s.body.seq !== i + 1)?.row.row;
}

const bySeq = <T extends { seq: number }>(list: T[]) => list.toSorted((a, b) => a.seq - b.seq);
const byLine = <T extends { seq: number; component: string }>(list: T[]) => list.toSorted((a, b) => a.seq - b.seq || a.component.localeCompare(b.component));

/** Equal as stored: what GET /products/{code} would answer for the body, compared field by field. */
function sameProduct(stored: Product, body: ProductBody): boolean {
  if (stored.name !== body.name || stored.family !== (body.family ?? null)) return false;
  const routing = bySeq(body.routing).map((s) => ({ ...s, description: s.description ?? null }));
  const sameRouting =
    routing.length === stored.routing.length &&
    routing.every((s, i) => {
      const t = stored.routing[i]!;
      return s.seq === t.seq && s.workCenter === t.workCenter && s.setupMinutes === t.setupMinutes && s.runMinutesPerUnit === t.runMinutesPerUnit && s.minTransferMinutes === t.minTransferMinutes && s.description === t.description;
    });
  if (!sameRouting) return false;
  if (!body.bom) return true;
  const lines = byLine(body.bom);
  const storedLines = byLine(stored.bom);
  return lines.length === storedLines.length && lines.every((l, i) => l.component === storedLines[i]!.component && l.seq === storedLines[i]!.seq && l.quantityPerUnit === storedLines[i]!.quantityPerUnit);
}
