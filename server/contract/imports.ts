import * as z from 'zod/mini';
import type { Role } from './auth.ts';

/**
 * Bulk import of master data and orders from a spreadsheet (CSV or XLSX). One code path for the dry
 * run and the import: every row goes through the same domain function as its PUT/POST, in one
 * transaction, which the dry run (or any row in error) rolls back.
 */
export const importKinds = ['orders', 'products', 'components'] as const;
export type ImportKind = (typeof importKinds)[number];

/**
 * Who may import what (admin always): the roles of the PUT/POST each kind stands for, less sales for
 * orders (a bulk load of orders is the planner's job). The warehouse books receipts but does not
 * keep component master data, so it imports no components either.
 */
export const importRoles: Record<ImportKind, readonly Role[]> = {
  orders: ['planner'],
  products: ['planner'],
  components: ['planner', 'purchasing'],
};

/** The kinds a role may import, in the order the console offers them. */
export const importKindsFor = (role: Role): ImportKind[] => importKinds.filter((k) => role === 'admin' || importRoles[k].includes(role));

export const templateFormats = ['csv', 'xlsx'] as const;
export type TemplateFormat = (typeof templateFormats)[number];

/** Imports get their own body limit: a year of orders from an ERP is far more than a JSON request. */
export const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
/**
 * Rows one import may hold: every row goes through its domain function (about 5-10 ms each), and the
 * whole file must be answered well within the import deadline (5 minutes) on a busy server.
 */
export const MAX_IMPORT_ROWS = 10_000;
/** A report lists at most this many problems (the counts still cover the whole file). */
export const MAX_REPORTED_ERRORS = 1000;

/** `dryRun` defaults to true: writing needs an explicit `dryRun=false`. */
export const ImportQuery = z.object({ dryRun: z.optional(z.enum(['true', 'false'])) });
export const TemplateQuery = z.object({ format: z.optional(z.enum(templateFormats)) });

/** One problem: the row as numbered in Excel (the header is row 1) and the column as headed in the file. */
export const ImportProblem = z.object({ row: z.number(), column: z.nullable(z.string()), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblem>;

/**
 * What a file does (dry run) or did. `rows`: data rows read (blank rows skipped); the counts are per
 * record (an order, a product with all its rows, a component). `committed`: written; false for a dry
 * run and for any file with an error (then nothing is written at all).
 */
export const ImportReport = z.object({
  kind: z.enum(importKinds),
  dryRun: z.boolean(),
  committed: z.boolean(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  errors: z.array(ImportProblem),
  /** More problems than the report lists (MAX_REPORTED_ERRORS). */
  moreErrors: z.number(),
});
export type ImportReport = z.infer<typeof ImportReport>;
