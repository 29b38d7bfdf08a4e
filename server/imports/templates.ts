import writeXlsxFile from 'write-excel-file/node';
import type { ImportKind, TemplateFormat } from '../contract/imports.ts';
import type { Queryable } from '../db/connect.ts';
import { zoneOffsetMs } from '../../scheduler/engine/calendar.ts';
import { layouts } from './layouts.ts';

type Sample = (string | number | null)[];

/** RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. */
const csvCell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** A plant-time day `days` from now, as the template writes dates (2026-12-24). */
function plantDay(timeZone: string, now: Date, days: number): string {
  const wall = new Date(now.getTime() + zoneOffsetMs(timeZone, now.getTime()) + days * 86_400_000);
  return wall.toISOString().slice(0, 10);
}

/**
 * Sample rows that import cleanly into this plant: they name its own products, work centers and
 * components where it has them, so the template is also a worked example of the plant's data.
 */
async function samples(db: Queryable, plantId: number, timeZone: string, kind: ImportKind, now: Date): Promise<Sample[]> {
  if (kind === 'components') {
    return [
      ['SAMPLE-STEEL-2MM', 'Steel sheet 2 mm', 'kg', 1200, 300, 7],
      ['SAMPLE-BOLT-M8', 'Bolt M8x20', 'pcs', 5000, 1000, 3.5],
    ];
  }
  const centers = (await db.selectFrom('work_center').select('code').where('plant_id', '=', plantId).orderBy('line').orderBy('code').limit(2).execute()).map((r) => r.code);
  if (kind === 'products') {
    const [first = 'CUT', second = first] = centers;
    const component = (await db.selectFrom('component').select('code').where('plant_id', '=', plantId).orderBy('code').limit(1).executeTakeFirst())?.code;
    // Columns: type, product, name, family, seq, workCenter, setupMinutes, runMinutesPerUnit, minTransferMinutes, description, component, quantityPerUnit
    return [
      ['step', 'SAMPLE-BRACKET', 'Sample bracket', 'SAMPLES', 1, first, 30, 1.5, 0, 'Cut blanks', null, null],
      ['step', 'SAMPLE-BRACKET', null, null, 2, second, 15, 2, 10, 'Weld', null, null],
      ...(component ? [['bom', 'SAMPLE-BRACKET', null, null, 1, null, null, null, null, null, component, 0.8] satisfies Sample] : []),
    ];
  }
  const product =
    (await db.selectFrom('routing_step').select('product_code').where('plant_id', '=', plantId).orderBy('product_code').limit(1).executeTakeFirst())?.product_code ?? 'P-100';
  // Columns: order, product, quantity, dueAt, releaseAt, priority, customer
  return [
    ['SAMPLE-ORDER-1', product, 50, plantDay(timeZone, now, 14), null, 1, 'Sample customer'],
    ['SAMPLE-ORDER-2', product, 20, `${plantDay(timeZone, now, 21)} 17:00`, plantDay(timeZone, now, 7), 3, null],
  ];
}

export interface TemplateFile {
  name: string;
  type: string;
  body: Uint8Array;
}

/** The template of a kind: its header row and sample rows; the XLSX adds a sheet explaining every column. */
export async function template(db: Queryable, plantId: number, timeZone: string, kind: ImportKind, format: TemplateFormat, now: Date): Promise<TemplateFile> {
  const columns = layouts[kind];
  const headers = columns.map((c) => c.key);
  const rows = await samples(db, plantId, timeZone, kind, now);
  if (format === 'csv') {
    // A BOM, so that Excel opens the UTF-8 file as UTF-8 (Chinese names stay readable).
    const text = '\uFEFF' + [headers, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
    return { name: `takt-${kind}.csv`, type: 'text/csv; charset=utf-8', body: new TextEncoder().encode(text) };
  }
  const bold = (value: string) => ({ value, fontWeight: 'bold' as const });
  const notes = [
    ['column', 'required', 'meaning', '说明', 'also accepted headers / 也可用的表头'].map(bold),
    ...columns.map((c) => [c.key, c.required ? 'yes' : '', c.note[0], c.note[1], c.aliases.join(', ')]),
  ];
  const buffer = await writeXlsxFile([
    { sheet: kind, data: [headers.map(bold), ...rows], columns: headers.map((h) => ({ width: Math.max(12, h.length + 2) })) },
    { sheet: 'notes', data: notes, columns: [{ width: 20 }, { width: 10 }, { width: 60 }, { width: 40 }, { width: 40 }] },
  ]).toBuffer();
  return { name: `takt-${kind}.xlsx`, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', body: new Uint8Array(buffer) };
}
