import { readFile, writeFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { useTestSystem } from '../support/system.ts';

// The checked-in description of the schema the migrations produce. A migration that changes the
// schema must update it (TAKT_UPDATE_SCHEMA=1 npx vitest run tests/api/schema.test.ts), so every
// schema change is visible in review, and a hand-edit of a live database is caught.
const SNAPSHOT = new URL('../../migrations/schema.snapshot.txt', import.meta.url);

const t = useTestSystem();

it('the migrated schema matches migrations/schema.snapshot.txt', async () => {
  const columns = await t.sql<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }[]>`
    select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
    where table_schema = 'public' order by table_name, ordinal_position`;
  const indexes = await t.sql<{ indexdef: string }[]>`select indexdef from pg_indexes where schemaname = 'public' order by indexname`;
  const constraints = await t.sql<{ conname: string; def: string }[]>`
    select conname, pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = 'public' order by conrelid::regclass::text, conname`;
  const lines = [
    ...columns.map((c) => `column ${c.table_name}.${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' not null' : ''}${c.column_default ? ` default ${c.column_default}` : ''}`),
    ...indexes.map((i) => `index ${i.indexdef}`),
    ...constraints.map((c) => `constraint ${c.conname} ${c.def}`),
  ];
  const live = lines.join('\n') + '\n';
  if (process.env.TAKT_UPDATE_SCHEMA) await writeFile(SNAPSHOT, live);
  expect(live).toBe(await readFile(SNAPSHOT, 'utf8'));
});
