import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import { ApiError } from '../contract/errors.ts';
import { MAX_IMPORT_ROWS } from '../contract/imports.ts';

/** A cell as read: CSV gives text, XLSX also numbers, booleans and dates (wall clock, as if UTC). */
export type Cell = string | number | boolean | Date | null;

/** A sheet: its header row and its data rows, each numbered as Excel shows it (the header is row 1). */
export interface Table {
  headers: string[];
  rows: { row: number; cells: Cell[] }[];
}

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
const isLegacyXls = (b: Uint8Array) => b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0;

const fileError = (message: string) => ApiError.invalid('file', message);

/** The file's format is read from its bytes, not its name or content type (browsers label CSV files variously). */
export async function readTable(bytes: Uint8Array): Promise<Table> {
  if (bytes.length === 0) throw fileError('the file is empty');
  if (isLegacyXls(bytes)) throw fileError('old .xls files are not supported: save the sheet as .xlsx or CSV');
  const grid = isZip(bytes) ? await readXlsx(bytes) : readCsv(bytes);
  const [header, ...data] = grid;
  const headers = (header ?? []).map((h) => (h === null ? '' : String(h).trim()));
  if (!headers.some((h) => h !== '')) throw fileError('the first row must hold the column headers');
  const rows = data
    .map((cells, i) => ({ row: i + 2, cells }))
    // Spreadsheets keep formatted but blank rows: they are not records.
    .filter((r) => r.cells.some((c) => c !== null && !(typeof c === 'string' && c.trim() === '')));
  if (rows.length > MAX_IMPORT_ROWS) throw fileError(`the file has ${rows.length} data rows; at most ${MAX_IMPORT_ROWS} per import: split it`);
  return { headers, rows };
}

async function readXlsx(bytes: Uint8Array): Promise<Cell[][]> {
  try {
    return (await readSheet(Buffer.from(bytes))) as Cell[][];
  } catch {
    throw fileError('the file is not a readable .xlsx workbook');
  }
}

/**
 * Text as UTF-8, else GB18030: Excel in Chinese saves "CSV (逗号分隔)" in the system code page,
 * and a planner should not have to know that.
 */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The delimiter the header line uses: Excel writes ';' where ',' is the decimal mark, and some ERPs tabs. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

function readCsv(bytes: Uint8Array): Cell[][] {
  const text = decode(bytes);
  try {
    const records: string[][] = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: false, bom: true });
    return records.map((r) => r.map((c) => (c.trim() === '' ? null : c)));
  } catch (error) {
    const line = typeof error === 'object' && error !== null && 'lines' in error ? ` (line ${String(error.lines)})` : '';
    // The parser's message goes on to quote the offending text, which from a binary file is noise.
    const reason = error instanceof Error ? (error.message.split(/:|\n/)[0] ?? '').toLowerCase() : '';
    throw fileError(`the file is not readable CSV${line}${reason ? `: ${reason}` : ''}`);
  }
}
