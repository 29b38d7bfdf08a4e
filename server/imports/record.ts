import type { Queryable, Trx } from '../db/connect.ts';
import type { Actor } from '../http/actor.ts';
import { isBlank, type Read } from './cells.ts';
import type { Cell } from './read-table.ts';

/** A data row with its cells by column key (absent: the file has no such column). */
export interface SheetRow {
  row: number;
  cells: Map<string, Cell>;
}

/** Where a problem is: a row and a column key (null: the row as a whole). */
export interface Spot {
  row: number;
  key: string | null;
  /** The message is about the record as a whole (its routing has a gap): keep its wording. */
  whole?: true;
}

export type Outcome = 'created' | 'updated' | 'unchanged';

/**
 * One record of the file (an order, a product with all its rows, a component): the problems found
 * reading its cells, and how to store it. `apply` validates with the contract's schema and calls the
 * domain function of the matching PUT/POST; an ApiError it throws names a body field, which
 * `locate` turns back into the row and column it came from.
 */
export interface ImportRecord {
  firstRow: number;
  problems: { spot: Spot; message: string }[];
  locate: (field: string) => Spot;
  apply: (trx: Trx, actor: Actor, now: Date) => Promise<Outcome>;
  /**
   * The outcome `apply` would have, from plain reads and the same validation: no write, no row lock.
   * Records that have it are checked this way first (and a dry run goes no further), so that a file
   * does not hold rows the floor writes to while it is read.
   */
  check?: (db: Queryable, actor: Actor) => Promise<Outcome>;
  /** The row `apply` locks; records are applied in this order, the order stock movements lock in. */
  lockKey?: string;
}

export interface Importer {
  records: (rows: SheetRow[], timeZone: string) => ImportRecord[];
}

/** Reads the optional cells of a row into a body: blank cells are left out, unreadable ones are problems. */
export class BodyReader {
  readonly body: Record<string, unknown> = {};
  readonly problems: { spot: Spot; message: string }[] = [];
  readonly #row: SheetRow;
  constructor(row: SheetRow) {
    this.#row = row;
  }

  put<T>(key: string, field: string, read: (cell: Cell) => Read<T>): void {
    const cell = this.#row.cells.get(key);
    if (cell === undefined || isBlank(cell)) return;
    const result = read(cell);
    if ('problem' in result) this.problems.push({ spot: { row: this.#row.row, key }, message: result.problem });
    else this.body[field] = result.value;
  }
}

/** The same code on two rows of a file whose rows are one record each. */
export function duplicateOf(seen: Map<string, number>, code: string, row: number): number | undefined {
  const first = seen.get(code);
  if (first === undefined) seen.set(code, row);
  return first;
}
