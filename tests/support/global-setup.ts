import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from 'graphile-worker';
import pg from 'pg';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../server/db/embedded.ts';
import { migrate } from '../../server/db/migrate.ts';

export const TEMPLATE_DB = 'takt_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A maintenance database URL on the test server; test files clone TEMPLATE_DB from it. */
    adminDatabaseUrl: string;
  }
}

/** The URL of another database on the same server. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * One PostgreSQL for the whole run (embedded, or DATABASE_URL's server), with a migrated template
 * database; every test file clones it, so each file starts from a fresh, fully migrated schema.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let dataRoot: string | null = null;
  let adminUrl = process.env.DATABASE_URL ? withDatabase(process.env.DATABASE_URL, 'postgres') : null;
  if (!adminUrl) {
    dataRoot = await mkdtemp(join(tmpdir(), 'takt-test-'));
    embedded = await startEmbeddedDatabase(dataRoot);
    adminUrl = embedded.url('postgres');
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${TEMPLATE_DB}`);
  await admin.unsafe(`create database ${TEMPLATE_DB}`);
  const templateUrl = withDatabase(adminUrl, TEMPLATE_DB);
  const sql = postgres(templateUrl, { max: 1, onnotice: () => {} });
  await migrate(sql);
  await sql.end();
  const pool = new pg.Pool({ connectionString: templateUrl, max: 2 });
  pool.on('error', () => {});
  await runMigrations({ pgPool: pool });
  await pool.end();
  await admin.end();
  project.provide('adminDatabaseUrl', adminUrl);

  return async () => {
    await embedded?.stop();
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
  };
}
