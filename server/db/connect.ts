import { CompiledQuery, Kysely, type DatabaseConnection, type Driver, type Transaction } from 'kysely';
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
  /** Opens every connection of the pool now (see connectDatabase). */
  warm: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * kysely 0.29's Postgres driver marks a connection for discard when its ROLLBACK fails, through a
 * method kysely-postgres-js's connections do not have: a transaction whose connection the database
 * dropped threw that TypeError (an API 500) instead of the lost connection's own error (a 503).
 * postgres.js retires a dead connection by itself, so the rollback's own error is all there is to say.
 */
class TaktPostgresDialect extends PostgresJSDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.rollbackTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    };
    return driver;
  }
}

export function connectDatabase(url: string, options: { max?: number } = {}): DatabaseHandle {
  const max = options.max ?? 20;
  const sql = postgres(url, {
    max,
    onnotice: () => {},
    transform: { undefined: null },
    connection: { application_name: 'takt' },
  });
  const db = new Kysely<Database>({ dialect: new TaktPostgresDialect({ postgres: sql }) });
  return {
    db,
    sql,
    // postgres.js opens connections as load asks for them, and each one's SCRAM handshake blocks this
    // thread for milliseconds: the first busy second on a fresh server paid for twenty of them at once
    // (POSTs of 200-300 ms). Holding `max` queries open together makes it open them all at start.
    warm: async () => {
      await Promise.all(Array.from({ length: max }, () => sql`select pg_sleep(0.05)`));
    },
    close: async () => {
      // Bounded: a query stranded on a connection the database dropped never finishes by itself.
      await sql.end({ timeout: 5 });
      await db.destroy();
    },
  };
}
