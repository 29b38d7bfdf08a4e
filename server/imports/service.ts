import { sql } from 'kysely';
import { ApiError } from '../contract/errors.ts';
import { MAX_REPORTED_ERRORS, type ImportKind, type ImportProblem, type ImportReport } from '../contract/imports.ts';
import type { Db } from '../db/connect.ts';
import { transact } from '../db/transact.ts';
import type { Actor } from '../http/actor.ts';
import { componentImporter } from './components.ts';
import { layouts, columnOf } from './layouts.ts';
import { orderImporter } from './orders.ts';
import { productImporter } from './products.ts';
import type { Table } from './read-table.ts';
import type { ImportRecord, Importer, Outcome, SheetRow, Spot } from './record.ts';

const importers: Record<ImportKind, Importer> = { orders: orderImporter, products: productImporter, components: componentImporter };

/** Thrown to end the one transaction without writing: a dry run, or a file with a problem. */
class RolledBack extends Error {
  readonly report: ImportReport;
  constructor(report: ImportReport) {
    super('rolled back');
    this.report = report;
  }
}

/** Which column of the file holds each field, found by its header; problems with the header row itself. */
function mapHeaders(kind: ImportKind, headers: string[]): { index: Map<string, number>; problems: ImportProblem[] } {
  const index = new Map<string, number>();
  const problems: ImportProblem[] = [];
  headers.forEach((header, i) => {
    const column = columnOf(kind, header);
    if (!column) return; // an ERP's extra columns are left alone
    const taken = index.get(column.key);
    if (taken !== undefined) problems.push({ row: 1, column: header, message: `'${header}' and '${headers[taken]}' are both the ${column.key} column` });
    else index.set(column.key, i);
  });
  for (const column of layouts[kind]) {
    if (column.required && !index.has(column.key)) {
      problems.push({ row: 1, column: column.key, message: `column ${column.key} is missing${column.aliases.length ? ` (also accepted: ${column.aliases.join(', ')})` : ''}` });
    }
  }
  return { index, problems };
}

/**
 * Runs a file through the domain functions of its kind in ONE transaction (Odoo's dry run: the same
 * path, only the commit differs). Each record runs under a savepoint so that one refused record does
 * not stop the others from being checked; any problem, or a dry run, rolls everything back.
 */
export async function runImport(db: Db, actor: Actor, timeZone: string, kind: ImportKind, table: Table, dryRun: boolean, now: Date): Promise<ImportReport> {
  const report: ImportReport = { kind, dryRun, committed: false, rows: table.rows.length, created: 0, updated: 0, unchanged: 0, errors: [], moreErrors: 0 };
  const { index, problems } = mapHeaders(kind, table.headers);
  if (problems.length) return withProblems(report, problems);
  const header = (key: string | null) => (key === null ? null : index.has(key) ? table.headers[index.get(key)!]! : key);
  const rows: SheetRow[] = table.rows.map((r) => ({ row: r.row, cells: new Map([...index].map(([key, i]) => [key, r.cells[i] ?? null])) }));
  const records = importers[kind].records(rows, timeZone);
  const found: ImportProblem[] = [];
  const note = (spot: Spot, message: string) => found.push({ row: spot.row, column: header(spot.key), message });
  const problemOf = (record: ImportRecord, error: ApiError) => {
    const spot = record.locate(error.field ?? '');
    note(spot, spot.whole ? error.message : inColumnTerms(error, header(spot.key)));
  };
  if (records.every((r) => r.check)) return checkThenWrite(db, actor, records, dryRun, now, report, found, note, problemOf);
  try {
    await db.transaction().execute(async (trx) => {
      for (const record of records) {
        if (record.problems.length) {
          for (const p of record.problems) note(p.spot, p.message);
          continue;
        }
        await sql`savepoint import_record`.execute(trx);
        let outcome: Outcome;
        try {
          outcome = await record.apply(trx, actor, now);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          await sql`rollback to savepoint import_record`.execute(trx);
          problemOf(record, error);
          continue;
        }
        await sql`release savepoint import_record`.execute(trx);
        report[outcome]++;
      }
      if (dryRun || found.length) throw new RolledBack(withProblems(report, found));
      report.committed = true;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.report;
    throw error;
  }
  return report;
}

/**
 * Records that can be checked from plain reads: all of them are checked first, holding no lock (a
 * dry run ends there), then written in one short transaction, in the order stock movements lock
 * rows in, so that a station's press waits at most for that phase and never deadlocks with it (and
 * `transact` runs it again if PostgreSQL broke a deadlock anyway). The counts are the write's.
 */
async function checkThenWrite(
  db: Db,
  actor: Actor,
  records: ImportRecord[],
  dryRun: boolean,
  now: Date,
  report: ImportReport,
  found: ImportProblem[],
  note: (spot: Spot, message: string) => void,
  problemOf: (record: ImportRecord, error: ApiError) => void,
): Promise<ImportReport> {
  for (const record of records) {
    if (record.problems.length) {
      for (const p of record.problems) note(p.spot, p.message);
      continue;
    }
    try {
      report[await record.check!(db, actor)]++;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      problemOf(record, error);
    }
  }
  if (dryRun || found.length) return withProblems(report, found);
  const ordered = records.toSorted((a, b) => ((a.lockKey ?? '') < (b.lockKey ?? '') ? -1 : (a.lockKey ?? '') > (b.lockKey ?? '') ? 1 : 0));
  try {
    const counts = await transact(db, async (trx) => {
      const written = { created: 0, updated: 0, unchanged: 0 };
      for (const record of ordered) {
        try {
          written[await record.apply(trx, actor, now)]++;
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          // Changed since it was checked (another user's write): refused whole, as any problem is.
          problemOf(record, error);
          throw new RolledBack(withProblems({ ...report, created: 0, updated: 0, unchanged: 0 }, found));
        }
      }
      return written;
    });
    return { ...report, ...counts, committed: true };
  } catch (error) {
    if (error instanceof RolledBack) return error.report;
    throw error;
  }
}

/** "routing.0.setupMinutes must be ..." reads "setupMinutes must be ..." next to the column it is about. */
function inColumnTerms(error: ApiError, column: string | null): string {
  const field = error.field;
  if (field && column && error.message.startsWith(`${field} `)) return `${column} ${error.message.slice(field.length + 1)}`;
  return error.message;
}

function withProblems(report: ImportReport, problems: ImportProblem[]): ImportReport {
  const sorted = problems.toSorted((a, b) => a.row - b.row);
  return { ...report, errors: sorted.slice(0, MAX_REPORTED_ERRORS), moreErrors: Math.max(0, sorted.length - MAX_REPORTED_ERRORS) };
}
