import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, inject } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { startSystem, type System } from '../../server/system.ts';
import { TEMPLATE_DB, withDatabase } from './global-setup.ts';
import { client, type ApiClient } from './http.ts';
import { StreamReader } from './sse.ts';

import type { Config, ProcessRole } from '../../server/config.ts';

export interface TestSystem {
  system: System;
  url: string;
  adminToken: string;
  databaseUrl: string;
  /** The plant every test system starts with (code TEST). */
  plantId: number;
  /** Real HTTP as the admin. */
  api: ApiClient;
  /** Opens the live stream as the admin (`topics` as in ?topics=); close it when done. */
  stream: (topics: string, headers?: Record<string, string>) => StreamReader;
  stop: () => Promise<void>;
}

/** A fresh database cloned from the migrated template, and the whole system on it over real HTTP. */
export async function startTestSystem(
  options: { role?: ProcessRole; heartbeatMs?: number; /** Join another test system's database. */ join?: TestSystem; /** Settings a test needs (e.g. trustProxy). */ config?: Partial<Config> } = {},
): Promise<TestSystem> {
  if (options.join) return await joinTestSystem(options.join, options.role ?? 'all', options.config);
  const adminUrl = inject('adminDatabaseUrl');
  const name = `takt_t_${randomBytes(6).toString('hex')}`;
  await onServer(adminUrl, (admin) => admin.unsafe(`create database ${name} template ${TEMPLATE_DB}`));
  const databaseUrl = withDatabase(adminUrl, name);
  const [plant] = await onServer(databaseUrl, (db) => db<{ id: number }[]>`insert into plant (code, name, time_zone) values ('TEST', 'Test plant', 'UTC') returning id`);

  const adminToken = `test-admin-${randomBytes(8).toString('hex')}`;
  const log = process.env.TAKT_TEST_LOG ? (line: string) => console.log(line) : () => {};
  const system = await startSystem({ ...configFor(databaseUrl, adminToken, options.role ?? 'all'), ...options.config }, { log, serveUi: false, heartbeatMs: options.heartbeatMs });
  return {
    system,
    url: system.url,
    adminToken,
    databaseUrl,
    plantId: plant!.id,
    ...asAdmin(system.url, adminToken),
    stop: async () => {
      await system.stop();
      await onServer(adminUrl, (admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
}

/** A second process-like system on an existing test database (scale-out: server and worker roles). */
async function joinTestSystem(other: TestSystem, role: ProcessRole, config: Partial<Config> = {}): Promise<TestSystem> {
  const system = await startSystem({ ...configFor(other.databaseUrl, other.adminToken, role), ...config }, { log: () => {}, serveUi: false });
  return { ...other, system, url: system.url, ...asAdmin(system.url, other.adminToken), stop: () => system.stop() };
}

function asAdmin(url: string, adminToken: string): Pick<TestSystem, 'api' | 'stream'> {
  return {
    api: client(url, adminToken),
    stream: (topics, headers = {}) => new StreamReader(`${url}/api/v1/stream?topics=${topics}`, { authorization: `Bearer ${adminToken}`, ...headers }),
  };
}

function configFor(databaseUrl: string, adminToken: string, role: ProcessRole) {
  return {
    ...loadConfig({}, []),
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    role,
    adminToken,
    demo: 'off' as const,
    simulate: false,
    rescheduleBudgetMs: null, // the live budget: a count of iterations, so a test plant is planned the same every run
    frozenMinutes: 0,
  };
}

async function onServer<T>(url: string, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

export interface UsedTestSystem extends TestSystem {
  /** SQL on the system's database, for what the API does not show (closed after the file). */
  sql: postgres.Sql;
}

export interface UseTestSystemOptions {
  role?: ProcessRole;
  heartbeatMs?: number;
  /** Another file-level system whose database this one joins; it must be declared first. */
  join?: UsedTestSystem;
  /** Settings a test needs (e.g. outboundAllowLoopback). */
  config?: Partial<Config>;
  /** Runs once the system is up, before any test; e.g. `seedSmallFactory`. */
  seed?: (api: ApiClient, t: UsedTestSystem) => Promise<unknown>;
}

/**
 * One started system for the whole test file: started in `beforeAll`, stopped in `afterAll`. The
 * returned object is filled in by `beforeAll`, so read its fields inside hooks and tests only.
 */
export function useTestSystem(options: UseTestSystemOptions = {}): UsedTestSystem {
  const t = {} as UsedTestSystem;
  beforeAll(async () => {
    const started = await startTestSystem({ role: options.role, heartbeatMs: options.heartbeatMs, join: options.join, config: options.config });
    // postgres.js connects on first use, so files that never query pay nothing for it.
    Object.assign(t, started, { sql: postgres(started.databaseUrl, { max: 2, onnotice: () => {} }) });
    await options.seed?.(t.api, t);
  });
  afterAll(async () => {
    await t.sql?.end();
    await t.stop?.();
  });
  return t;
}
