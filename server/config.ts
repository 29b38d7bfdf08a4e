import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCounterTopicPattern } from './signals/payload.ts';

/** What this process runs (not a user's role, which is the contract's `Role`). */
export type ProcessRole = 'all' | 'server' | 'worker';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  role: ProcessRole;
  adminToken: string | null;
  /** 'auto': seed the demo factory only into an empty database. */
  demo: 'auto' | 'force' | 'off';
  simulate: boolean;
  /** Simulated factory minutes per real second. */
  simulatorSpeed: number;
  /** Live-loop search budget in ms; null: scaled to the plant (see scheduler/tasks/budget.ts). */
  rescheduleBudgetMs: number | null;
  frozenMinutes: number;
  workerConcurrency: number;
  /** Behind a TLS-terminating proxy: believe its X-Forwarded-Proto/-Host headers. */
  trustProxy: boolean;
  /** A request not answered within this many ms gets 503 database_unavailable. */
  requestTimeoutMs: number;
  /** Profiling: the embedded database collects pg_stat_statements. */
  pgStatements: boolean;
  /** P50/P90 ETAs: sampled futures per run (K), and engine time per minute the sampling may use (0: off). */
  etaSamples: number;
  etaSpreadCpuMsPerMinute: number;
  /** Outbound channels may call loopback and link-local addresses (tests; never a plant's metadata service). */
  outboundAllowLoopback: boolean;
  /** The console's address as people reach it, for links in channel messages; null: the server's own origin. */
  publicUrl: string | null;
  /** Machine counters: the broker to subscribe to (TAKT_MQTT_URL), null for none. */
  mqttUrl: string | null;
  /** Counter topics; the first `+` level is the plant code, the second the machine. */
  mqttTopic: string;
  /** `--mqtt`: start an embedded broker on this port and subscribe to it (null: no embedded broker). */
  mqttEmbeddedPort: number | null;
}

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

function intFrom(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got '${value}'`);
  return n;
}

function mqttTopic(pattern: string): string {
  if (!isCounterTopicPattern(pattern)) throw new Error(`TAKT_MQTT_TOPIC needs exactly two '+' levels (plant, then machine) and no '#', got '${pattern}'`);
  return pattern;
}

/** Environment first, then command-line flags (`--demo`, `--no-demo`, `--no-simulate`, `--port=N`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const flag = (name: string) => argv.includes(`--${name}`);
  const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const role = (option('role') ?? env.TAKT_ROLE ?? 'all') as ProcessRole;
  if (!['all', 'server', 'worker'].includes(role)) throw new Error(`TAKT_ROLE must be all, server or worker, got '${role}'`);
  const demoEnv = env.TAKT_DEMO;
  const demo = flag('demo') || demoEnv === 'force' ? 'force' : flag('no-demo') || demoEnv === 'off' ? 'off' : 'auto';
  return {
    port: intFrom('PORT', option('port') ?? env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || null,
    dataDir: resolve(projectRoot, env.TAKT_DATA_DIR ?? '.data'),
    role,
    adminToken: env.TAKT_ADMIN_TOKEN || null,
    demo,
    simulate: !flag('no-simulate') && env.TAKT_SIMULATE !== 'off',
    simulatorSpeed: intFrom('TAKT_SIMULATOR_SPEED', option('speed') ?? env.TAKT_SIMULATOR_SPEED, 6),
    rescheduleBudgetMs: env.TAKT_RESCHEDULE_BUDGET_MS ? intFrom('TAKT_RESCHEDULE_BUDGET_MS', env.TAKT_RESCHEDULE_BUDGET_MS, 0) : null,
    frozenMinutes: intFrom('TAKT_FROZEN_MINUTES', env.TAKT_FROZEN_MINUTES, 30),
    workerConcurrency: intFrom('TAKT_WORKER_CONCURRENCY', env.TAKT_WORKER_CONCURRENCY, 3),
    trustProxy: ['true', '1', 'yes'].includes((env.TAKT_TRUST_PROXY ?? '').toLowerCase()),
    requestTimeoutMs: intFrom('TAKT_REQUEST_TIMEOUT_MS', env.TAKT_REQUEST_TIMEOUT_MS, 15_000),
    pgStatements: ['true', '1', 'yes'].includes((env.TAKT_PG_STATEMENTS ?? '').toLowerCase()),
    etaSamples: intFrom('TAKT_ETA_SAMPLES', env.TAKT_ETA_SAMPLES, 32),
    etaSpreadCpuMsPerMinute: intFrom('TAKT_ETA_SPREAD_CPU_MS', env.TAKT_ETA_SPREAD_CPU_MS, 500),
    outboundAllowLoopback: ['true', '1', 'yes'].includes((env.TAKT_OUTBOUND_ALLOW_LOOPBACK ?? '').toLowerCase()),
    publicUrl: env.TAKT_PUBLIC_URL ? env.TAKT_PUBLIC_URL.replace(/\/+$/, '') : null,
    mqttUrl: env.TAKT_MQTT_URL || null,
    mqttTopic: mqttTopic(env.TAKT_MQTT_TOPIC || 'takt/+/+/counter'),
    mqttEmbeddedPort: flag('mqtt') ? intFrom('TAKT_MQTT_PORT', env.TAKT_MQTT_PORT, 1883) : null,
  };
}
