import { Kysely, type Transaction } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the pool or a transaction: for queries that do not need to lock. */
export type Queryable = Db | Trx;

export interface DatabaseHandle {
  db: Db;
  /** The raw postgres.js client: LISTEN, bulk inserts with unnest. */
  sql: postgres.Sql;
  close: () => Promise<void>;
}

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: options.max ?? 20,
    onnotice: () => {},
    transform: { undefined: null },
    connection: { application_name: 'takt' },
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });
  return {
    db,
    sql,
    close: async () => {
      // Bounded: a query stranded on a connection the database dropped never finishes by itself.
      await sql.end({ timeout: 5 });
      await db.destroy();
    },
  };
}
