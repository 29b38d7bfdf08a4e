import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse';
import { readSheet } from 'read-excel-file/node';
import { ApiError } from '../contract/errors.ts';
import { MAX_IMPORT_ROWS } from '../contract/imports.ts';
import { oneAtATime } from './one-at-a-time.ts';
import { checkXlsxSizes } from './xlsx-size.ts';

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

/** A file of little but blank lines is not a sheet, and reading all of them is what costs. */
const MAX_BLANK_LINES = 10 * MAX_IMPORT_ROWS;
/** Bytes handed to the CSV parser at a time, the event loop free in between. */
const CHUNK_BYTES = 16 * 1024;

const isBlankCell = (c: Cell) => c === null || (typeof c === 'string' && c.trim() === '');

/**
 * Records as they come: the first is the header, blank ones are skipped (spreadsheets keep formatted
 * but blank rows: they are not records) but still numbered. Throws as soon as the file is over a
 * limit, so that nothing past it is ever read.
 */
class TableBuilder {
  private header: Cell[] | null = null;
  private readonly rows: Table['rows'] = [];
  private blanks = 0;
  private emptyLines = 0;

  /** `row`: the record's row as Excel numbers it (the header is row 1). */
  add(cells: Cell[], row: number): void {
    if (this.header === null) {
      this.header = cells;
      return;
    }
    if (cells.every(isBlankCell)) {
      this.blanks++;
      this.checkBlanks();
      return;
    }
    this.rows.push({ row, cells });
    if (this.rows.length > MAX_IMPORT_ROWS) throw fileError(`the file has more than ${MAX_IMPORT_ROWS} data rows; at most ${MAX_IMPORT_ROWS} per import: split it`);
  }

  /** Empty lines the CSV parser skipped without making records of them. */
  skippedEmptyLines(count: number): void {
    this.emptyLines = count;
    this.checkBlanks();
  }

  private checkBlanks(): void {
    if (this.blanks + this.emptyLines > MAX_BLANK_LINES) throw fileError(`the file has more than ${MAX_BLANK_LINES} blank lines: remove them`);
  }

  table(): Table {
    const headers = (this.header ?? []).map((h) => (h === null ? '' : String(h).trim()));
    if (!headers.some((h) => h !== '')) throw fileError('the first row must hold the column headers');
    return { headers, rows: this.rows };
  }
}

/**
 * The file's format is read from its bytes, not its name or content type (browsers label CSV files
 * variously). One file is read at a time per process (see oneAtATime).
 */
export function readTable(bytes: Uint8Array): Promise<Table> {
  if (bytes.length === 0) return Promise.reject(fileError('the file is empty'));
  if (isLegacyXls(bytes)) return Promise.reject(fileError('old .xls files are not supported: save the sheet as .xlsx or CSV'));
  return oneAtATime(async () => {
    const builder = new TableBuilder();
    if (isZip(bytes)) (await readXlsx(bytes)).forEach((cells, i) => builder.add(cells, i + 1));
    else await readCsv(bytes, builder);
    return builder.table();
  });
}

async function readXlsx(bytes: Uint8Array): Promise<Cell[][]> {
  checkXlsxSizes(bytes);
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
function asUtf8(bytes: Uint8Array): Uint8Array {
  // Checked in place: decoding 10 MB to a string just to look would hold the event loop.
  return isUtf8(bytes) ? bytes : Buffer.from(new TextDecoder('gb18030').decode(bytes));
}

/** The delimiter the header line uses: Excel writes ';' where ',' is the decimal mark, and some ERPs tabs. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}

async function* chunksOf(bytes: Uint8Array, between: () => void): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
    yield bytes.subarray(at, at + CHUNK_BYTES);
    await nextTurn();
    between();
  }
}

/** Streamed, so that a file over a limit is refused at the limit, and the server answers others meanwhile. */
async function readCsv(bytes: Uint8Array, builder: TableBuilder): Promise<void> {
  const utf8 = asUtf8(bytes);
  const head = new TextDecoder().decode(utf8.subarray(0, CHUNK_BYTES));
  // Empty lines are skipped by the parser itself (a record each would cost far more) but counted, so
  // that rows keep the numbers Excel shows, and so that a file of nothing else stops early.
  const parser = parse({ delimiter: delimiterOf(head), relax_column_count: true, skip_empty_lines: true, bom: true, info: true });
  const source = Readable.from(
    chunksOf(utf8, () => builder.skippedEmptyLines(parser.info.empty_lines)),
    { objectMode: false },
  );
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number; empty_lines: number } }>) {
      builder.add(
        record.map((c) => (c.trim() === '' ? null : c)),
        info.records + info.empty_lines,
      );
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const line = typeof error === 'object' && error !== null && 'lines' in error ? ` (line ${String(error.lines)})` : '';
    // The parser's message goes on to quote the offending text, which from a binary file is noise.
    const reason = error instanceof Error ? (error.message.split(/:|\n/)[0] ?? '').toLowerCase() : '';
    throw fileError(`the file is not readable CSV${line}${reason ? `: ${reason}` : ''}`);
  } finally {
    source.destroy();
    parser.destroy();
  }
}
