import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';

const migrationsDir = fileURLToPath(new URL('../../migrations/', import.meta.url));
// Any constant works; it only has to be the same in every Takt process sharing the database.
const MIGRATION_LOCK = 7_411_001;

/**
 * Applies numbered, forward-only SQL files from migrations/ in order, each in its own transaction,
 * under an advisory lock so that processes starting together do not race.
 */
export async function migrate(sql: postgres.Sql): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const applied: string[] = [];
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`create table if not exists takt_migration (
      name text primary key, applied_at timestamptz not null default now())`;
    const done = new Set((await tx<{ name: string }[]>`select name from takt_migration`).map((r) => r.name));
    for (const file of files) {
      if (done.has(file)) continue;
      const text = await readFile(migrationsDir + file, 'utf8');
      await tx.unsafe(text);
      await tx`insert into takt_migration (name) values (${file})`;
      applied.push(file);
    }
  });
  return applied;
}
