import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startSystem, type System } from '../../server/system.ts';

const TEMPLATE_DB = 'takt_template';

export interface TestSystem {
  system: System;
  url: string;
  adminToken: string;
  databaseUrl: string;
  /** The plant every test system starts with (code TEST). */
  plantId: number;
  stop: () => Promise<void>;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template, and the whole system on it over real HTTP. */
export async function startTestSystem(
  options: { role?: 'all' | 'server' | 'worker'; heartbeatMs?: number; /** Join another test system's database. */ join?: TestSystem } = {},
): Promise<TestSystem> {
  if (options.join) return await joinTestSystem(options.join, options.role ?? 'all');
  const adminUrl = inject('adminDatabaseUrl');
  const name = `takt_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`);
  await admin.end();
  const databaseUrl = withDatabase(adminUrl, name);

  const seed = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const [plant] = await seed<{ id: number }[]>`insert into plant (code, name, time_zone) values ('TEST', 'Test plant', 'UTC') returning id`;
  await seed.end();

  const adminToken = `test-admin-${randomBytes(8).toString('hex')}`;
  const config = {
    ...loadConfig({}, []),
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    role: options.role ?? 'all',
    adminToken,
    demo: 'off' as const,
    simulate: false,
    rescheduleBudgetMs: 50,
    frozenMinutes: 0,
  };
  const log = process.env.TAKT_TEST_LOG ? (line: string) => console.log(line) : () => {};
  const system = await startSystem(config, { log, serveUi: false, heartbeatMs: options.heartbeatMs });
  return {
    system,
    url: system.url,
    adminToken,
    databaseUrl,
    plantId: plant!.id,
    stop: async () => {
      await system.stop();
      const cleanup = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

/** A second process-like system on an existing test database (scale-out: server and worker roles). */
async function joinTestSystem(other: TestSystem, role: 'all' | 'server' | 'worker'): Promise<TestSystem> {
  const config = {
    ...loadConfig({}, []),
    port: 0,
    host: '127.0.0.1',
    databaseUrl: other.databaseUrl,
    role,
    adminToken: other.adminToken,
    demo: 'off' as const,
    simulate: false,
    rescheduleBudgetMs: 50,
    frozenMinutes: 0,
  };
  const system = await startSystem(config, { log: () => {}, serveUi: false });
  return { ...other, system, url: system.url, stop: () => system.stop() };
}
