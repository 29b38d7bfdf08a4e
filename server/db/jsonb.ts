import { sql, type RawBuilder } from 'kysely';

/**
 * A jsonb value for a query. postgres.js JSON-encodes any parameter the server types as json,
 * including strings, so a pre-stringified value must travel as text and be cast in SQL.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`(${JSON.stringify(value)}::text)::jsonb`;
}
